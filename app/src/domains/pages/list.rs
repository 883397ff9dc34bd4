//! `/domains`: the domain list (search, keyset pages), a form to add one, every
//! monitored certificate, and for administrators the module's settings.
use super::parts::{expiry_text, AddCertificate, CertificateTable, CheckBadge};
use crate::auth::model::Permission;
use crate::context::use_session;
use crate::domains::api::{get_domains_settings, list_certificates, list_domains, save_domain, save_domains_settings};
use crate::domains::model::{CertificateQuery, DomainInput, DomainQuery, DomainsSettings};
use crate::error::AppError;
use crate::settings::model::Module;
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

#[component]
pub fn DomainsPage() -> impl IntoView {
    let session = use_session();
    let search = RwSignal::new(String::new());
    // Keyset pages: the `after` of each page shown so far (None = first page).
    let trail = RwSignal::new(vec![None::<String>]);
    let page = Resource::new(
        move || (search.get(), trail.get().last().cloned().flatten()),
        |(search, after)| list_domains(DomainQuery { search, after }),
    );
    let certs_changed = RwSignal::new(0u32);
    let certificates = Resource::new(move || certs_changed.get(), |_| list_certificates(CertificateQuery::default()));
    let adding = RwSignal::new(false);
    let is_admin = move || session.current().is_some_and(|u| u.can(Permission::SettingsManage));
    let navigate = use_navigate();
    let open_cert =
        Callback::new(move |id: uuid::Uuid| navigate(&format!("/domains/certificates/{id}"), Default::default()));

    view! {
        <Guarded permission=Permission::DeskView module=Module::Domains>
            <Title text="Domains" />
            <PageHeader title="Domains" description="Registrations and their expiry, DNS records watched for changes, and TLS certificates.">
                <button type="button" class=BTN_PRIMARY data-testid="new-domain" on:click=move |_| adding.update(|a| *a = !*a)>"New domain"</button>
            </PageHeader>
            <Show when=move || adding.get()>
                <NewDomain />
            </Show>
            <div class="mb-4 max-w-sm">
                <label class="sr-only" for="domain_search">"Search domains"</label>
                <input id="domain_search" type="search" class=INPUT placeholder="Search by name…" data-testid="domain-search"
                    prop:value=move || search.get()
                    on:input=move |ev| { search.set(event_target_value(&ev)); trail.set(vec![None]); } />
            </div>
            <section class=format!("{CARD} mb-6 overflow-x-auto")>
                <Transition fallback=Loading>
                    {move || Suspend::new(async move {
                        match page.await {
                            Err(e) => view! { <div class="p-4"><ErrorNotice error=Signal::derive(move || Some(e.clone())) /></div> }.into_any(),
                            Ok(p) if p.items.is_empty() => view! {
                                <p class="px-4 py-10 text-center text-sm text-muted">"No domains match."</p>
                            }.into_any(),
                            Ok(p) => {
                                let next = p.next.clone();
                                view! {
                                    <table class="min-w-full divide-y divide-line" data-testid="domain-table">
                                        <thead><tr>
                                            <th class=TH>"Name"</th><th class=TH>"Registrar"</th><th class=TH>"Expires"</th><th class=TH>"Last check"</th>
                                        </tr></thead>
                                        <tbody class="divide-y divide-line">
                                            {p.items.into_iter().map(|d| view! {
                                                <tr>
                                                    <td class=TD><a class="font-medium text-fg hover:underline focus-visible:underline" href=format!("/domains/{}", d.id)>{d.name.clone()}</a></td>
                                                    <td class=format!("{TD} text-muted")>{d.registrar.clone()}</td>
                                                    <td class=format!("{TD} {}", expiry_text(d.expires_in_days)) data-testid="domain-expiry">
                                                        {d.expires_on.map(|e| e.to_string()).unwrap_or_else(|| "—".into())}
                                                    </td>
                                                    <td class=TD><CheckBadge status=d.last_check_status at=d.last_checked_at /></td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    <div class="flex justify-end gap-2 border-t border-line px-4 py-2">
                                        <button type="button" class=BTN_GHOST disabled=move || trail.with(|t| t.len() < 2)
                                            on:click=move |_| trail.update(|t| { t.pop(); })>"Previous"</button>
                                        <button type="button" class=BTN_GHOST disabled=next.is_none()
                                            on:click=move |_| { let n = next.clone(); trail.update(|t| t.push(n)); }>"Next"</button>
                                    </div>
                                }.into_any()
                            }
                        }
                    })}
                </Transition>
            </section>
            <Section title="Certificates" description="TLS certificates read daily from host:port; changes and name mismatches are flagged.">
                <Transition fallback=Loading>
                    {move || Suspend::new(async move {
                        let items = certificates.await.map(|p| p.items).unwrap_or_default();
                        view! { <CertificateTable certificates=items show_domain=true /> }
                    })}
                </Transition>
                <AddCertificate domain_id=None on_saved=Callback::new(move |id| { certs_changed.update(|c| *c += 1); open_cert.run(id); }) />
            </Section>
            <Show when=is_admin>
                <SettingsForm />
            </Show>
        </Guarded>
    }
}

/// The create form; goes to the new domain's page when saved.
#[component]
fn NewDomain() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let registrar = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let navigate = use_navigate();
    let save = move || {
        error.set(None);
        let input = DomainInput {
            name: name.get_untracked(),
            registrar: registrar.get_untracked(),
            expires_on: chrono::NaiveDate::parse_from_str(&expires.get_untracked(), "%Y-%m-%d").ok(),
            ..Default::default()
        };
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match save_domain(input).await {
                Ok(d) => navigate(&format!("/domains/{}", d.id), Default::default()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class=format!("{CARD} mb-6 grid gap-4 p-5 sm:grid-cols-[2fr_2fr_1fr_auto] sm:items-end") data-testid="new-domain-form"
            on:submit=move |ev| { ev.prevent_default(); save(); }>
            <div>
                <label class=LABEL for="new_domain_name">"Domain name"</label>
                <input id="new_domain_name" class=INPUT bind:value=name placeholder="example.com" autofocus />
            </div>
            <div>
                <label class=LABEL for="new_domain_registrar">"Registrar"</label>
                <input id="new_domain_registrar" class=INPUT bind:value=registrar />
            </div>
            <div>
                <label class=LABEL for="new_domain_expires">"Expires on"</label>
                <input id="new_domain_expires" type="date" class=INPUT bind:value=expires />
            </div>
            <button type="submit" class=BTN_PRIMARY>"Add domain"</button>
            <div class="sm:col-span-4"><ErrorNotice error=Signal::derive(move || error.get()) /></div>
        </form>
    }
}

/// Resolver address, outbound allow-list and "ticket on every change" (admins).
#[component]
fn SettingsForm() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| get_domains_settings());
    let resolver = RwSignal::new(String::new());
    let allow = RwSignal::new(String::new());
    let tickets = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(None::<String>);
    let fill = move |s: DomainsSettings| {
        resolver.set(s.resolver.unwrap_or_default());
        allow.set(s.allow_list.join("\n"));
        tickets.set(s.ticket_on_change);
    };
    Effect::new(move |_| {
        if let Some(Ok(s)) = loaded.get() {
            fill(s);
        }
    });
    let save = move || {
        error.set(None);
        saved.set(None);
        let s = DomainsSettings {
            resolver: Some(resolver.get_untracked()).filter(|r| !r.trim().is_empty()),
            allow_list: allow.get_untracked().lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect(),
            ticket_on_change: tickets.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match save_domains_settings(s).await {
                Ok(s) => {
                    fill(s);
                    saved.set(Some("Settings saved.".into()));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <Section title="Monitoring settings" description="Administrators only. Checks never reach private, loopback or link-local addresses unless the allow-list covers them.">
            <ErrorNotice error=Signal::derive(move || error.get()) />
            <SuccessNotice message=Signal::derive(move || saved.get()) />
            <form class="grid gap-4 sm:grid-cols-2" data-testid="domains-settings"
                on:submit=move |ev| { ev.prevent_default(); save(); }>
                <div>
                    <label class=LABEL for="dns_resolver">"DNS server (ip:port)"</label>
                    <input id="dns_resolver" class=INPUT bind:value=resolver placeholder="System resolver" />
                    <p class="mt-1 text-xs text-muted">"Leave empty to use the server's system resolver."</p>
                </div>
                <div>
                    <label class=LABEL for="allow_list">"Allowed private ranges (one CIDR per line)"</label>
                    <textarea id="allow_list" rows="3" class=INPUT bind:value=allow placeholder="10.20.0.0/16"></textarea>
                </div>
                <label class="flex items-center gap-2 text-sm sm:col-span-2">
                    <input type="checkbox" id="ticket_on_change" bind:checked=tickets />
                    "Open a ticket for every DNS change of every domain"
                </label>
                <div><button type="submit" class=BTN_PRIMARY>"Save settings"</button></div>
            </form>
        </Section>
    }
}
