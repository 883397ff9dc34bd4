use leptos::prelude::*;
#[component]
pub fn DocumentsPage() -> impl IntoView {
    view! { <p>"x"</p> }
}
#[component]
pub fn DocumentPage() -> impl IntoView {
    view! { <p>"x"</p> }
}
