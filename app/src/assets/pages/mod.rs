//! Asset pages: the list (filters, search, keyset "load more", CSV import and
//! export), the detail page, and locations and vendors.
mod detail;
mod import;
mod list;
mod places;

pub use detail::{AssetDetailPage, NewAssetPage};
pub use list::AssetsPage;
pub use places::{LocationPage, LocationsPage, VendorPage, VendorsPage};

use leptos::prelude::*;

/// Tabs across the asset pages.
#[component]
pub fn AssetsNav(active: &'static str) -> impl IntoView {
    let tabs: [(&str, &str); 5] = [
        ("/assets", "Assets"),
        ("/assets/software", "Software"),
        ("/assets/locations", "Locations"),
        ("/assets/vendors", "Vendors"),
        ("/expiring", "Expiring"),
    ];
    view! {
        <nav aria-label="Asset pages" class="mb-5 flex gap-1 border-b border-line">
            {tabs.into_iter().map(|(href, label)| {
                let class = if href == active {
                    "-mb-px border-b-2 border-accent px-3 py-2 text-sm font-medium text-fg"
                } else {
                    "-mb-px border-b-2 border-transparent px-3 py-2 text-sm text-muted hover:text-fg"
                };
                view! { <a href=href class=class>{label}</a> }
            }).collect_view()}
        </nav>
    }
}

pub(crate) use crate::ui::Field;
