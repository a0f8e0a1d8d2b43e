//! The wording of the hotel's e-mail to guests: one kind of message in one language at a
//! time, with the placeholders it may use, a preview on a real booking, and the way back to
//! the standard text. The server refuses a wording that would not render, saying why.

use hotel_shared::mail::{MessagePreview, MessageTemplate, PreviewInput, TemplateInput};
use hotel_shared::{ErrorCode, Language, MessageKind};
use leptos::prelude::*;

use super::StaffOnly;
use super::messages::kind_words;
use crate::api::{self, ApiError};
use crate::app::{Ctx, use_ctx};
use crate::widgets::{ErrorText, Loading, Outcome, OutcomeText, Task};

/// The server's own sentence for a wording it refused (it names the placeholder); the app's
/// words for anything else.
fn why(ctx: Ctx, e: &ApiError) -> String {
    match e {
        ApiError::Refused {
            code: ErrorCode::TemplateInvalid,
            message,
            ..
        } => message.clone(),
        _ => ctx.explain(e),
    }
}

#[component]
pub fn LettersPage() -> impl IntoView {
    let ctx = use_ctx();
    if !ctx.is_staff() {
        return view! { <StaffOnly/> }.into_any();
    }
    let kind = RwSignal::new(MessageKind::Confirmation);
    let language = RwSignal::new(Language::En);
    let loaded: RwSignal<Option<MessageTemplate>> = RwSignal::new(None);
    let subject = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let reference = RwSignal::new(String::new());
    let preview: RwSignal<Option<MessagePreview>> = RwSignal::new(None);
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    let outcome: Outcome = RwSignal::new(None);
    let task = Task::new();

    let show = move |t: MessageTemplate| {
        subject.set(t.subject.clone());
        body.set(t.body.clone());
        loaded.set(Some(t));
    };
    let load = move || {
        let (k, l) = (kind.get_untracked(), language.get_untracked());
        preview.set(None);
        outcome.set(None);
        task.start(async move {
            match api::template(k, l).await {
                Ok(t) => {
                    problem.set(None);
                    show(t);
                }
                Err(e) => problem.set(Some(ctx.explain(&e))),
            }
        });
    };
    load();
    let try_it = move || {
        let (k, l) = (kind.get_untracked(), language.get_untracked());
        let input = PreviewInput {
            subject: subject.get_untracked(),
            body: body.get_untracked(),
            reference: Some(reference.get_untracked().trim().to_string()).filter(|r| !r.is_empty()),
        };
        task.start(async move {
            match api::preview_template(k, l, &input).await {
                Ok(p) => {
                    outcome.set(None);
                    preview.set(Some(p));
                    // Focus (and so scroll to) the letter, below the editor.
                    crate::app::focus_first("#preview-heading");
                }
                Err(e) => {
                    preview.set(None);
                    outcome.set(Some(Err(why(ctx, &e))));
                }
            }
        });
    };
    let save = move || {
        let (k, l) = (kind.get_untracked(), language.get_untracked());
        let input = TemplateInput {
            subject: subject.get_untracked(),
            body: body.get_untracked(),
        };
        task.start(async move {
            match api::save_template(k, l, &input).await {
                Ok(t) => {
                    outcome.set(Some(Ok(format!(
                        "Saved. Every {} in {} is written with this text from now on.",
                        kind_words(k).to_lowercase(),
                        l.name()
                    ))));
                    show(t);
                }
                Err(e) => outcome.set(Some(Err(why(ctx, &e)))),
            }
        });
    };
    let reset = move || {
        let (k, l) = (kind.get_untracked(), language.get_untracked());
        task.start(async move {
            match api::reset_template(k, l).await {
                Ok(t) => {
                    outcome.set(Some(Ok("The standard text is back.".into())));
                    preview.set(None);
                    show(t);
                }
                Err(e) => outcome.set(Some(Err(ctx.explain(&e)))),
            }
        });
    };

    view! {
        <h1>"Letters to guests"</h1>
        <p class="muted">
            "The words of each e-mail the hotel sends, in each language. Placeholders in double "
            "braces, such as {{name}}, are filled in for each guest and booking."
        </p>
        <section class="card row" aria-label="Which letter">
            <div>
                <label for="letter-kind">"Letter"</label>
                <select id="letter-kind" on:change=move |ev| {
                    kind.set(MessageKind::parse(&event_target_value(&ev)));
                    load();
                }>
                    {MessageKind::ALL.iter().map(|k| view! {
                        <option value=k.as_str() selected=move || kind.get() == *k>{kind_words(*k)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="letter-language">"Language"</label>
                <select id="letter-language" on:change=move |ev| {
                    language.set(Language::parse(&event_target_value(&ev)).unwrap_or_default());
                    load();
                }>
                    {Language::ALL.iter().map(|l| view! {
                        <option value=l.as_str() selected=move || language.get() == *l>{l.name()}</option>
                    }).collect_view()}
                </select>
            </div>
        </section>
        {move || problem.get().map(|text| view! { <ErrorText text=text/> })}
        {move || match loaded.get() {
            None => view! { <Loading/> }.into_any(),
            Some(t) => view! {
                <div class="letter-editor">
                    <form class="card" id="letter-form" on:submit=move |ev| {
                        ev.prevent_default();
                        save();
                    }>
                        <p id="letter-standing" class="muted">
                            {if t.own {
                                "The hotel's own text. The standard text can be brought back below."
                            } else {
                                "The standard text that comes with the system."
                            }}
                        </p>
                        <label for="letter-subject">"Subject"</label>
                        <input id="letter-subject" maxlength="200" bind:value=subject/>
                        <label for="letter-body">"Text"</label>
                        <textarea id="letter-body" rows="16" bind:value=body></textarea>
                        <label for="letter-reference">"Preview on booking (reference; empty: the newest booking)"</label>
                        <input id="letter-reference" autocomplete="off" bind:value=reference/>
                        <p class="row">
                            <button type="button" id="letter-preview" class="secondary"
                                disabled=move || task.running() on:click=move |_| try_it()>
                                "Preview"
                            </button>
                            <button type="submit" id="letter-save" disabled=move || task.running()>
                                "Save"
                            </button>
                            {t.own.then(|| view! {
                                <button type="button" id="letter-reset" class="secondary"
                                    disabled=move || task.running() on:click=move |_| reset()>
                                    "Back to the standard text"
                                </button>
                            })}
                        </p>
                        <OutcomeText outcome=outcome/>
                    </form>
                    <section class="card" aria-labelledby="placeholders-heading">
                        <h2 id="placeholders-heading">"Placeholders"</h2>
                        <dl class="placeholders">
                            {t.placeholders.into_iter().map(|p| view! {
                                <dt><code>{format!("{{{{{}}}}}", p.name)}</code></dt>
                                <dd>{p.means}</dd>
                            }).collect_view()}
                        </dl>
                    </section>
                </div>
            }.into_any(),
        }}
        {move || preview.get().map(|p| view! {
            <section class="card" id="letter-preview-shown" aria-labelledby="preview-heading">
                <h2 id="preview-heading" tabindex="-1">{format!("Preview for booking {}", p.reference)}</h2>
                <p><strong>"Subject: "</strong><span id="preview-subject">{p.subject}</span></p>
                <div class="letter-text" id="preview-text">{p.text}</div>
            </section>
        })}
    }
    .into_any()
}
