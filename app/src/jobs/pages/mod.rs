//! Administration → Jobs: queue counts, recent and dead jobs, retry.
use crate::admin::AdminTabs;
use crate::auth::model::Permission;
use crate::jobs::api::{count_jobs, list_jobs, RetryJob};
use crate::jobs::model::JobStatus;
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn JobsPage() -> impl IntoView {
    let status = RwSignal::new(None::<JobStatus>);
    let retry = ServerAction::<RetryJob>::new();
    let jobs = Resource::new(move || (status.get(), retry.version().get()), |(s, _)| list_jobs(s, None));
    let counts = Resource::new(move || retry.version().get(), |_| count_jobs());
    let filters = [
        (None, "All"),
        (Some(JobStatus::Queued), "Queued"),
        (Some(JobStatus::Running), "Running"),
        (Some(JobStatus::Done), "Done"),
        (Some(JobStatus::Dead), "Dead"),
    ];
    view! {
        <Guarded permission=Permission::JobsManage>
            <Title text="Jobs" />
            <PageHeader title="Administration" description="Background work: schedules, retries and failures." />
            <AdminTabs />
            <ErrorNotice error=Signal::derive(move || error_of(retry.value().get())) />
            <Suspense>
                {move || Suspend::new(async move {
                    counts.await.ok().map(|c| view! {
                        <div class="mb-6 grid grid-cols-4 gap-4">
                            {[("Queued", c.queued, Tone::Neutral), ("Running", c.running, Tone::Accent), ("Done", c.done, Tone::Good), ("Dead", c.dead, Tone::Bad)].into_iter().map(|(l, n, tone)| view! {
                                <div class=format!("{CARD} px-5 py-4")>
                                    <p class="text-xs font-semibold uppercase tracking-wide text-faint">{l}</p>
                                    <p class=format!("mt-1 text-2xl font-semibold tabular-nums {}", if tone == Tone::Bad && n > 0 { "text-danger" } else { "text-fg" })>{n}</p>
                                </div>
                            }).collect_view()}
                        </div>
                    })
                })}
            </Suspense>
            <div class="mb-4 flex gap-2">
                {filters.into_iter().map(|(s, l)| view! {
                    <button type="button" class=move || if status.get() == s { BTN_PRIMARY } else { BTN_SECONDARY } on:click=move |_| status.set(s)>{l}</button>
                }).collect_view()}
            </div>
            <div class=format!("{CARD} overflow-x-auto")>
                <table class="w-full">
                    <thead class="border-b border-line bg-raised/50">
                        <tr><th class=TH>"#"</th><th class=TH>"Kind"</th><th class=TH>"Status"</th><th class=TH>"Attempts"</th><th class=TH>"Run at"</th><th class=TH>"Last error"</th><th class=TH></th></tr>
                    </thead>
                    <tbody class="divide-y divide-line">
                        <Transition fallback=|| view! { <tr><td colspan="7"><Loading /></td></tr> }>
                            {move || Suspend::new(async move {
                                let list = jobs.await.unwrap_or_default();
                                if list.is_empty() {
                                    return view! { <tr><td colspan="7" class="px-4 py-10 text-center text-sm text-muted">"No jobs here."</td></tr> }.into_any();
                                }
                                list.into_iter().map(|j| {
                                    let id = j.id;
                                    let tone = match j.status { JobStatus::Dead => Tone::Bad, JobStatus::Done => Tone::Good, JobStatus::Running => Tone::Accent, JobStatus::Queued => Tone::Neutral };
                                    view! {
                                        <tr>
                                            <td class=format!("{TD} tabular-nums text-faint")>{j.id}</td>
                                            <td class=format!("{TD} font-mono text-fg")>{j.kind.clone()}</td>
                                            <td class=TD><Badge text=j.status.as_str() tone=tone /></td>
                                            <td class=format!("{TD} tabular-nums")>{format!("{}/{}", j.attempts, j.max_attempts)}</td>
                                            <td class=format!("{TD} text-muted")>{fmt_time(j.run_at)}</td>
                                            <td class=format!("{TD} max-w-xs truncate text-muted")>{j.last_error.clone().unwrap_or_default()}</td>
                                            <td class=TD>{(j.status == JobStatus::Dead).then(|| view! { <button type="button" class=BTN_GHOST on:click=move |_| { retry.dispatch(RetryJob { id }); }>"Retry"</button> })}</td>
                                        </tr>
                                    }
                                }).collect_view().into_any()
                            })}
                        </Transition>
                    </tbody>
                </table>
            </div>
        </Guarded>
    }
}
