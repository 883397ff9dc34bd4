//! `/domains/:id`: the domain's fields, its current DNS records by type, the
//! change history (added in green, removed in red) and its certificates.
use super::parts::{expiry_text, AddCertificate, CertificateTable, CheckBadge};
use crate::auth::model::Permission;
use crate::context::use_session;
use crate::domains::api::{check_domain_now, delete_domain, get_domain, save_domain};
use crate::domains::model::{DnsChange, DnsRecord, Domain, DomainInput, RecordType};
use crate::error::AppError;
use crate::settings::model::Module;
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn DomainPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| uuid::Uuid::parse_str(&params.read().get("id").unwrap_or_default()).ok());
    let changed = RwSignal::new(0u32);
    let detail = Resource::new(
        move || (id.get(), changed.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_domain(id).await,
                None => Err(AppError::NotFound("Domain".into())),
            }
        },
    );
    let error = RwSignal::new(None::<AppError>);
    let notice = RwSignal::new(None::<String>);
    let session = use_session();
    let may_delete = move || session.current().is_some_and(|u| u.can(Permission::RecordsDelete));
    let navigate = use_navigate();
    let open_cert =
        Callback::new(move |c: uuid::Uuid| navigate(&format!("/domains/certificates/{c}"), Default::default()));
    let navigate = use_navigate();

    let check_now = move |_| {
        let Some(id) = id.get_untracked() else { return };
        error.set(None);
        leptos::task::spawn_local(async move {
            match check_domain_now(id).await {
                Ok(()) => notice.set(Some("Check queued: the records refresh here in a few seconds.".into())),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let remove = Callback::new(move |name: String| {
        let Some(id) = id.get_untracked() else { return };
        if !confirm(&format!("Delete {name}, its DNS history and certificate links?")) {
            return;
        }
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match delete_domain(id).await {
                Ok(()) => navigate("/domains", Default::default()),
                Err(e) => error.set(Some(e)),
            }
        });
    });

    view! {
        <Guarded permission=Permission::DeskView module=Module::Domains>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let d = match detail.await {
                        Ok(d) => d,
                        Err(e) => return view! { <ErrorNotice error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
                    };
                    let name = d.domain.name.clone();
                    let name2 = name.clone();
                    let domain_id = d.domain.id;
                    view! {
                        <Title text=name.clone() />
                        <nav class="mb-2 text-sm"><a class="text-muted hover:text-fg" href="/domains">"← Domains"</a></nav>
                        <PageHeader title=name.clone() description=d.domain.registrar.clone()>
                            <CheckBadge status=d.domain.last_check_status at=d.domain.last_checked_at />
                            <button type="button" class=BTN_SECONDARY data-testid="check-now" on:click=check_now>"Check now"</button>
                            {may_delete().then(|| view! {
                                <button type="button" class=BTN_DANGER on:click=move |_| remove.run(name2.clone())>"Delete"</button>
                            })}
                        </PageHeader>
                        <ErrorNotice error=Signal::derive(move || error.get()) />
                        <SuccessNotice message=Signal::derive(move || notice.get()) />
                        {d.domain.last_check_error.clone().map(|e| view! {
                            <div role="alert" class="mb-4 rounded-md border border-danger/40 bg-danger/10 px-4 py-3 text-sm text-danger">
                                "Last check failed: " {e}
                            </div>
                        })}
                        <div class="grid gap-6 xl:grid-cols-[1fr_22rem]">
                            <div>
                                <Section title="DNS records" description="As seen by the last successful check, grouped by type.">
                                    <Records records=d.records.clone() />
                                </Section>
                                <Section title="Change history" description="Each check whose record set differed from the one before.">
                                    <History history=d.history.clone() />
                                </Section>
                                <Section title="Certificates">
                                    <CertificateTable certificates=d.certificates.clone() />
                                    <AddCertificate domain_id=Some(domain_id) on_saved=open_cert />
                                </Section>
                            </div>
                            <div>
                                <DomainForm domain=d.domain.clone() on_saved=Callback::new(move |_| changed.update(|c| *c += 1)) />
                                <crate::links::LinksPanel kind=crate::links::model::RecordKind::Domain id=domain_id />
                            </div>
                        </div>
                    }.into_any()
                })}
            </Transition>
        </Guarded>
    }
}

#[component]
fn Records(records: Vec<DnsRecord>) -> impl IntoView {
    if records.is_empty() {
        return view! { <p class="text-sm text-muted">"No records yet: run a check."</p> }.into_any();
    }
    view! {
        <table class="min-w-full divide-y divide-line" data-testid="dns-records">
            <thead><tr><th class=TH>"Type"</th><th class=TH>"Name"</th><th class=TH>"Value"</th></tr></thead>
            <tbody class="divide-y divide-line">
                {RecordType::ALL.into_iter().flat_map(|t| {
                    records.iter().filter(move |r| r.rtype == t).cloned().enumerate().map(move |(i, r)| view! {
                        <tr>
                            <td class=format!("{TD} w-20 font-mono text-xs text-muted")>{(i == 0).then(|| t.label())}</td>
                            <td class=format!("{TD} font-mono text-xs")>{r.name}</td>
                            <td class=format!("{TD} break-all font-mono text-xs")>{r.value}</td>
                        </tr>
                    }).collect::<Vec<_>>()
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn History(history: Vec<DnsChange>) -> impl IntoView {
    if history.is_empty() {
        return view! { <p class="text-sm text-muted">"No changes seen."</p> }.into_any();
    }
    let line = |sign: &'static str, class: &'static str, r: DnsRecord| {
        view! {
            <li class=format!("font-mono text-xs {class}")>{format!("{sign} {} {} {}", r.name, r.rtype.label(), r.value)}</li>
        }
    };
    view! {
        <ol class="space-y-4" data-testid="dns-history">
            {history.into_iter().map(|c| view! {
                <li>
                    <p class="mb-1 text-xs font-medium text-muted">{fmt_time(c.checked_at)}</p>
                    <ul class="space-y-0.5 rounded-md border border-line bg-bg px-3 py-2">
                        {c.added.into_iter().map(|r| line("+", "text-good", r)).collect_view()}
                        {c.removed.into_iter().map(|r| line("−", "text-danger", r)).collect_view()}
                    </ul>
                </li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}

#[component]
fn DomainForm(domain: Domain, on_saved: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(domain.name.clone());
    let registrar = RwSignal::new(domain.registrar.clone());
    let expires = RwSignal::new(domain.expires_on.map(|d| d.to_string()).unwrap_or_default());
    let notes = RwSignal::new(domain.notes.clone());
    let selectors = RwSignal::new(domain.dkim_selectors.join(", "));
    let ticket = RwSignal::new(domain.ticket_on_change);
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(None::<String>);
    let id = domain.id;
    let save = move || {
        error.set(None);
        saved.set(None);
        let input = DomainInput {
            id: Some(id),
            name: name.get_untracked(),
            registrar: registrar.get_untracked(),
            expires_on: chrono::NaiveDate::parse_from_str(&expires.get_untracked(), "%Y-%m-%d").ok(),
            notes: notes.get_untracked(),
            dkim_selectors: selectors
                .get_untracked()
                .split([',', ' '])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            ticket_on_change: ticket.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match save_domain(input).await {
                Ok(_) => {
                    saved.set(Some("Saved.".into()));
                    on_saved.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class=format!("{CARD} mb-6 space-y-4 p-5") data-testid="domain-form"
            on:submit=move |ev| { ev.prevent_default(); save(); }>
            <ErrorNotice error=Signal::derive(move || error.get()) />
            <SuccessNotice message=Signal::derive(move || saved.get()) />
            <div>
                <label class=LABEL for="domain_name">"Name"</label>
                <input id="domain_name" class=INPUT bind:value=name />
            </div>
            <div>
                <label class=LABEL for="domain_registrar">"Registrar"</label>
                <input id="domain_registrar" class=INPUT bind:value=registrar />
            </div>
            <div>
                <label class=LABEL for="domain_expires">"Expires on"</label>
                <input id="domain_expires" type="date" class=format!("{INPUT} {}", expiry_text(domain.expires_in_days)) bind:value=expires />
            </div>
            <div>
                <label class=LABEL for="domain_selectors">"DKIM selectors"</label>
                <input id="domain_selectors" class=INPUT bind:value=selectors placeholder="google, s1" />
                <p class="mt-1 text-xs text-muted">"Checked as <selector>._domainkey." {domain.name.clone()}</p>
            </div>
            <div>
                <label class=LABEL for="domain_notes">"Notes"</label>
                <textarea id="domain_notes" rows="4" class=INPUT bind:value=notes></textarea>
            </div>
            <label class="flex items-center gap-2 text-sm">
                <input type="checkbox" id="domain_ticket" bind:checked=ticket />
                "Open a ticket when its records change"
            </label>
            <button type="submit" class=BTN_PRIMARY>"Save changes"</button>
        </form>
    }
}
