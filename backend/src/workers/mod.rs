//! Work the server does beside answering requests: scheduled backups, placing events in commit
//! order, tidying, and what the database engine needs kept running (PostgreSQL's listening
//! connection). Each worker is a task that starts with the server (`Workers::start`, from
//! `serve_on`) and ends when it stops (`Workers::stop`), at a point where stopping loses
//! nothing: a worker waits on its `Stop` wherever it would otherwise sleep.
//!
//! A worker that acts on what changed (mail, webhooks) subscribes to `Store::events()` and reads
//! `EventsAfter` from the last position it finished; it is woken whenever events are placed,
//! on any instance.

mod backups;
mod events;
mod ical;
mod mail;
mod tidy;
mod webhooks;

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::state::AppState;

/// How long stopping waits for a worker to reach a point where it can stop.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// A worker's view of the server stopping.
#[derive(Clone)]
pub struct Stop(watch::Receiver<bool>);

impl Stop {
    /// Resolves once the server is stopping.
    pub async fn stopping(&mut self) {
        let _ = self.0.wait_for(|stopping| *stopping).await;
    }

    /// Sleeps for `wait`; false when the server began stopping meanwhile.
    pub async fn sleep(&mut self, wait: Duration) -> bool {
        tokio::select! {
            () = self.stopping() => false,
            () = tokio::time::sleep(wait) => true,
        }
    }

    /// Runs `work` until it ends or the server stops; `None` when stopped first. Only for work
    /// that can be dropped at any await without losing anything.
    pub async fn until<T>(&mut self, work: impl Future<Output = T>) -> Option<T> {
        tokio::select! {
            () = self.stopping() => None,
            out = work => Some(out),
        }
    }
}

/// The running workers.
pub struct Workers {
    stop: watch::Sender<bool>,
    tasks: Vec<(&'static str, JoinHandle<()>)>,
}

impl Workers {
    /// Starts every worker the server's settings call for.
    pub fn start(state: &AppState) -> Workers {
        let mut workers = Workers {
            stop: watch::Sender::new(false),
            tasks: Vec::new(),
        };
        for (name, task) in state.store.background() {
            workers.spawn(name, |mut stop| async move {
                stop.until(task).await;
            });
        }
        if let Some(schedule) = state.backups.clone() {
            workers.spawn("backups", |stop| backups::run(schedule, stop));
        }
        let store = state.store.clone();
        workers.spawn("events", |stop| events::place(store, stop));
        let (mailing, mailer) = (state.clone(), state.mailer.clone());
        workers.spawn("mail", |stop| mail::run(mailing, mailer, stop));
        let syncing = state.clone();
        workers.spawn("calendar sync", |stop| ical::run(syncing, stop));
        let delivering = state.clone();
        workers.spawn("webhooks", |stop| webhooks::run(delivering, stop));
        let tidied = state.clone();
        workers.spawn("tidy", |stop| tidy::run(tidied, stop));
        if let Some(ended) = state.store.ended_sessions() {
            let state = state.clone();
            workers.spawn("ended sessions", |stop| {
                tidy::forget_ended_sessions(state, ended, stop)
            });
        }
        workers
    }

    fn spawn<F: Future<Output = ()> + Send + 'static>(
        &mut self,
        name: &'static str,
        worker: impl FnOnce(Stop) -> F,
    ) {
        let task = tokio::spawn(worker(Stop(self.stop.subscribe())));
        self.tasks.push((name, task));
    }

    /// Tells every worker to stop and waits until each has.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for (name, task) in self.tasks {
            match tokio::time::timeout(STOP_GRACE, task).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::error!("the {name} worker failed: {e}"),
                Err(_) => tracing::warn!("the {name} worker did not stop in time"),
            }
        }
    }
}
