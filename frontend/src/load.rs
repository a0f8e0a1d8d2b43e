//! Data a page loads from the server, and loads again when a signal it read changes.
//!
//! Leptos builds its resource machinery (the spawned task, the async signal, its futures) once
//! per fetcher closure: several KB of WebAssembly for every resource in the app (18 KB of the
//! gzipped guest portal for its eight). `Load` gives every resource the same boxed fetcher and a
//! type-erased value, so the machinery is built once and each resource costs only its request.

use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;

type Value = Rc<dyn Any>;
type Fetch = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = Value>>>>;

pub struct Load<T> {
    raw: LocalResource<Value>,
    value: PhantomData<fn() -> T>,
}

impl<T> Clone for Load<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Load<T> {}

impl<T: Clone + 'static> Load<T> {
    /// Starts loading with `fetch`, and again whenever a signal `fetch` read changes.
    pub fn new<F: Future<Output = T> + 'static>(fetch: impl Fn() -> F + 'static) -> Self {
        let fetch: Fetch = Rc::new(move || {
            let pending = fetch();
            Box::pin(async move { Rc::new(pending.await) as Value })
        });
        Self {
            raw: erased(fetch),
            value: PhantomData,
        }
    }

    /// The loaded value (`None` while the first load runs), tracked like a signal.
    pub fn get(&self) -> Option<T> {
        // A `Load<T>` only ever holds a `T`, so the downcast always succeeds.
        self.raw.get().and_then(|v| v.downcast_ref::<T>().cloned())
    }

    pub fn refetch(&self) {
        self.raw.refetch();
    }
}

fn erased(fetch: Fetch) -> LocalResource<Value> {
    LocalResource::new(move || fetch())
}
