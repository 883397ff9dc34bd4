use leptos::prelude::*;
#[component]
pub fn SoftwarePage() -> impl IntoView {
    view! { <p>"s"</p> }
}
#[component]
pub fn SoftwareView() -> impl IntoView {
    view! { <p>"s"</p> }
}
#[component]
pub fn LicenseView() -> impl IntoView {
    view! { <p>"l"</p> }
}
