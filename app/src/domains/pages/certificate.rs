//! `/domains/certificates/:id`: the parsed leaf certificate, a warning when its
//! names do not cover the host or the chain would not verify, and its history.
use super::parts::{expiry_text, CertificateForm, CheckBadge};
use crate::auth::model::Permission;
use crate::context::use_session;
use crate::domains::api::{check_certificate_now, delete_certificate, get_certificate};
use crate::error::AppError;
use crate::settings::model::Module;
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn CertificatePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| uuid::Uuid::parse_str(&params.read().get("id").unwrap_or_default()).ok());
    let detail = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_certificate(id).await,
                None => Err(AppError::NotFound("Certificate".into())),
            }
        },
    );
    let error = RwSignal::new(None::<AppError>);
    let notice = RwSignal::new(None::<String>);
    let editing = RwSignal::new(false);
    let session = use_session();
    let may_delete = move || session.current().is_some_and(|u| u.can(Permission::RecordsDelete));
    let navigate = use_navigate();
    let check_now = move |_| {
        let Some(id) = id.get_untracked() else { return };
        error.set(None);
        leptos::task::spawn_local(async move {
            match check_certificate_now(id).await {
                Ok(()) => notice.set(Some("Check queued: reload in a few seconds for the result.".into())),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let remove = Callback::new(move |_: ()| {
        let Some(id) = id.get_untracked() else { return };
        if !confirm("Stop monitoring this certificate and delete its history?") {
            return;
        }
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match delete_certificate(id).await {
                Ok(()) => navigate("/domains", Default::default()),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let field = |label: &'static str, value: String| {
        view! {
            <div class="grid grid-cols-[9rem_1fr] gap-2 py-1.5">
                <dt class="text-sm text-muted">{label}</dt>
                <dd class="break-all text-sm text-fg">{value}</dd>
            </div>
        }
    };
    view! {
        <Guarded permission=Permission::DeskView module=Module::Domains>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let d = match detail.await {
                        Ok(d) => d,
                        Err(e) => return view! { <ErrorNotice error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
                    };
                    let c = d.certificate;
                    let target = format!("{}:{}", c.host, c.port);
                    let none = || "—".to_string();
                    let time = move |t: Option<chrono::DateTime<chrono::Utc>>| t.map(fmt_time).unwrap_or_else(none);
                    let cert_id = c.id;
                    let (cert_host, cert_port, cert_domain) = (StoredValue::new(c.host.clone()), c.port, c.domain_id);
                    view! {
                        <Title text=target.clone() />
                        <nav class="mb-2 text-sm">
                            {match (c.domain_id, c.domain_name.clone()) {
                                (Some(id), Some(n)) => view! { <a class="text-muted hover:text-fg" href=format!("/domains/{id}")>"← " {n}</a> }.into_any(),
                                _ => view! { <a class="text-muted hover:text-fg" href="/domains">"← Domains"</a> }.into_any(),
                            }}
                        </nav>
                        <PageHeader title=target.clone() description="TLS certificate">
                            <CheckBadge status=c.last_check_status at=c.last_checked_at />
                            <button type="button" class=BTN_SECONDARY data-testid="edit-certificate-toggle"
                                on:click=move |_| editing.update(|e| *e = !*e)>{move || if editing.get() { "Cancel" } else { "Edit" }}</button>
                            <button type="button" class=BTN_SECONDARY data-testid="check-now" on:click=check_now>"Check now"</button>
                            {may_delete().then(|| view! { <button type="button" class=BTN_DANGER on:click=move |_| remove.run(())>"Delete"</button> })}
                        </PageHeader>
                        <ErrorNotice error=Signal::derive(move || error.get()) />
                        <SuccessNotice message=Signal::derive(move || notice.get()) />
                        <Show when=move || editing.get()>
                            <Section title="Where to read it" description="A changed host or port is read at the next check; its history stays.">
                                <CertificateForm id=Some(cert_id) host=cert_host.get_value() port=cert_port domain_id=cert_domain
                                    on_saved=Callback::new(move |_| {
                                        editing.set(false);
                                        notice.set(Some("Saved. Check now to read the certificate there.".into()));
                                        detail.refetch();
                                    }) />
                            </Section>
                        </Show>
                        {c.last_check_error.clone().map(|e| view! {
                            <div role="alert" class="mb-4 rounded-md border border-danger/40 bg-danger/10 px-4 py-3 text-sm text-danger">"Last check failed: " {e}</div>
                        })}
                        {(c.host_matches == Some(false)).then(|| view! {
                            <div role="alert" data-testid="name-mismatch" class="mb-4 rounded-md border border-warn/40 bg-warn/10 px-4 py-3 text-sm text-warn">
                                "The certificate's names (" {c.sans.join(", ")} ") do not cover " {c.host.clone()} "."
                            </div>
                        })}
                        {c.trust_error.clone().map(|e| view! {
                            <div class="mb-4 rounded-md border border-line bg-raised px-4 py-3 text-sm text-muted">"Would not verify in a browser: " {e}</div>
                        })}
                        <div class="grid gap-6 xl:grid-cols-[1fr_22rem]">
                            <div>
                                <Section title="Leaf certificate">
                                    <dl class="divide-y divide-line" data-testid="certificate-fields">
                                        {field("Subject", c.subject.clone().unwrap_or_else(none))}
                                        {field("Names (SAN)", if c.sans.is_empty() { none() } else { c.sans.join(", ") })}
                                        {field("Issuer", c.issuer.clone().unwrap_or_else(none))}
                                        {field("Valid from", time(c.not_before))}
                                        <div class="grid grid-cols-[9rem_1fr] gap-2 py-1.5">
                                            <dt class="text-sm text-muted">"Valid until"</dt>
                                            <dd class=format!("text-sm {}", expiry_text(c.expires_in_days))>
                                                {time(c.not_after)}
                                                {c.expires_in_days.map(|d| format!(" ({d} days)"))}
                                            </dd>
                                        </div>
                                        {field("Key", match (&c.key_type, c.key_bits) {
                                            (Some(t), Some(b)) => format!("{t} {b} bits"),
                                            (Some(t), None) => t.clone(),
                                            _ => none(),
                                        })}
                                        {field("SHA-256", c.fingerprint.clone().unwrap_or_else(none))}
                                    </dl>
                                </Section>
                                <Section title="Changes" description="Checks that read a different certificate than the time before.">
                                    {if d.history.is_empty() {
                                        view! { <p class="text-sm text-muted">"No changes seen."</p> }.into_any()
                                    } else {
                                        view! {
                                            <ol class="space-y-3" data-testid="certificate-history">
                                                {d.history.into_iter().map(|h| view! {
                                                    <li class="text-sm">
                                                        <p class="text-xs font-medium text-muted">{fmt_time(h.checked_at)}</p>
                                                        <p class="break-all font-mono text-xs text-danger">{format!("− {}", h.old_fingerprint)}</p>
                                                        <p class="break-all font-mono text-xs text-good">{format!("+ {}", h.new_fingerprint)}</p>
                                                        <p class="text-xs text-muted">{format!("{} · until {}", h.subject, fmt_time(h.not_after))}</p>
                                                    </li>
                                                }).collect_view()}
                                            </ol>
                                        }.into_any()
                                    }}
                                </Section>
                            </div>
                            <div>
                                <crate::links::LinksPanel kind=crate::links::model::RecordKind::Certificate id=cert_id />
                            </div>
                        </div>
                    }.into_any()
                })}
            </Transition>
        </Guarded>
    }
}
