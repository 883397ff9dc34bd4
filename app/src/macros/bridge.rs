//! How the command palette applies a macro to the ticket on screen. The palette
//! lives at the root and the ticket view deep below it, so they meet here: the view
//! says which ticket (and version) is open, the palette asks to apply, and the view
//! takes the rendered text into its reply box and reloads the ticket.
use super::model::MacroApplied;
use crate::error::AppError;
use crate::tickets::model::TicketNumber;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct MacroBridge {
    /// The ticket open on screen and the version the agent sees.
    pub ticket: RwSignal<Option<(TicketNumber, i32)>>,
    /// The latest applied macro, for the view to put into its reply box.
    pub applied: RwSignal<Option<MacroApplied>>,
    /// Bumped by each application, so the view reloads the ticket.
    pub generation: RwSignal<u64>,
    pub error: RwSignal<Option<AppError>>,
}

impl MacroBridge {
    /// Created once at the root.
    pub fn provide() -> MacroBridge {
        let b = MacroBridge {
            ticket: RwSignal::new(None),
            applied: RwSignal::new(None),
            generation: RwSignal::new(0),
            error: RwSignal::new(None),
        };
        provide_context(b);
        b
    }

    /// Applies macro `id` to the open ticket (no-op when no ticket is open).
    pub fn apply(self, id: uuid::Uuid) {
        let Some((number, version)) = self.ticket.get_untracked() else { return };
        leptos::task::spawn_local(async move {
            match super::api::apply_macro(id, number, version).await {
                Ok(done) => {
                    self.error.set(None);
                    self.applied.set(Some(done));
                    self.generation.update(|g| *g += 1);
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }
}

pub fn use_macro_bridge() -> MacroBridge {
    expect_context::<MacroBridge>()
}

/// Mounted beside the ticket view's reply box: publishes the open ticket to the
/// palette and puts an applied macro's text into the reply box (appended to what is
/// there, in the macro's mode), then focuses it so the agent can edit and send.
#[component]
pub fn MacroReceiver(
    current: RwSignal<Option<crate::tickets::model::Ticket>>,
    body: RwSignal<String>,
    internal: RwSignal<bool>,
    /// Tells the draft autosave that the reply box changed.
    #[prop(into)]
    on_edit: Callback<()>,
) -> impl IntoView {
    let bridge = use_macro_bridge();
    Effect::new(move |_| {
        let open = current.with(|t| t.as_ref().map(|t| (t.number, t.version)));
        if bridge.ticket.get_untracked() != open {
            bridge.ticket.set(open);
        }
    });
    on_cleanup(move || {
        let _ = bridge.ticket.try_set(None);
    });
    Effect::new(move |_| {
        let Some(done) = bridge.applied.get() else { return };
        if current.with_untracked(|t| t.as_ref().map(|t| t.number)) != Some(done.number) {
            return;
        }
        bridge.applied.set(None);
        if done.text.trim().is_empty() {
            return;
        }
        let before = body.get_untracked();
        let text = if before.trim().is_empty() { done.text } else { format!("{}\n\n{}", before.trim_end(), done.text) };
        body.set(text);
        internal.set(done.internal);
        on_edit.run(());
        #[cfg(feature = "hydrate")]
        request_animation_frame(|| {
            use wasm_bindgen::JsCast;
            let area = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("reply"))
                .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
            if let Some(a) = area {
                let end = a.value().encode_utf16().count() as u32;
                let _ = a.focus();
                let _ = a.set_selection_range(end, end);
            }
        });
    });
    let error = Signal::derive(move || bridge.error.get());
    view! { <div class="mb-3"><crate::ui::ErrorNotice error /></div> }
}
