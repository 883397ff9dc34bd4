//! Administration → Settings: modules, labels, branding.
mod attachments;
mod branding;
mod labels;
mod modules;

use crate::admin::AdminTabs;
use crate::auth::model::Permission;
use crate::context::use_settings;
use crate::ui::{Guarded, Loading, PageHeader};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let settings = use_settings();
    view! {
        <Guarded permission=Permission::SettingsManage>
            <Title text="Settings" />
            <PageHeader title="Administration" description="Changes apply at once, for everyone, and are recorded in the audit log." />
            <AdminTabs />
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let s = settings.data.await.unwrap_or_default();
                    view! {
                        <modules::ModulesSection />
                        <labels::LabelsSection initial=s.labels.clone() />
                        <branding::BrandingSection initial=s.branding.clone() />
                        <attachments::AttachmentsSection />
                    }
                })}
            </Suspense>
        </Guarded>
    }
}
