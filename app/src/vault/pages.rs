use leptos::prelude::*;
#[component]
pub fn VaultPage() -> impl IntoView {
    view! { <p>"vault"</p> }
}
#[component]
pub fn CredentialView() -> impl IntoView {
    view! { <p>"cred"</p> }
}
