use leptos::prelude::*;

use crate::domain::reports::standing::{Figure, Standing};
use crate::domain::today::{DueStep, StepOf, COMING_DAYS, QUIET_DAYS};
use crate::i18n::{self, fill, labels, t, Text};
use crate::nav::{Route, Section};
use crate::ui::sample_data::TrySampleData;
use crate::ui::state::{local_day, now, today, AppState};

/// The start page: next steps due today and overdue, and leads nobody has
/// touched for two weeks, each a link to the record.
/// Next steps as a list: each links to its deal or lead, with when it is due.
fn steps(list: Vec<DueStep>) -> impl IntoView {
    let today = today();
    let items = list
        .into_iter()
        .map(|d| {
            let (href, kind) = match d.of {
                StepOf::Opportunity(id) => (Route::Record(Section::Opportunities, id.0), None),
                StepOf::Lead(id) => (Route::Record(Section::Leads, id.0), Some(t(Text::NounLead))),
            };
            let when = if d.overdue {
                fill(Text::OverdueSince, &[&i18n::date(d.date)])
            } else if d.date == today {
                t(Text::DueToday).to_owned()
            } else {
                fill(Text::DueOn, &[&i18n::date(d.date)])
            };
            let step = (!d.next_step.is_empty()).then(|| format!(" · {}", d.next_step));
            view! {
                <li class:overdue=d.overdue>
                    <a href=href.to_hash()>{d.name}</a>
                    {kind.map(|k| view! { <span class="agenda-kind">" (" {k} ")"</span> })}
                    {step}
                    <span class="agenda-when">{when}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="agenda">{items}</ul> }
}

/// The figures at the top: each a link to the list of what it counts.
fn standing_view(s: Standing) -> impl IntoView {
    let opportunities = Route::Section(Section::Opportunities);
    let leads = Route::Section(Section::Leads);
    let figure = |route: &Route, f: Figure, value: String, extra: Option<String>| {
        view! {
            <li>
                <a href=route.with_figure(f)>
                    <span class="figure-value">{value}</span>
                    <span class="figure-label">{labels::figure(f)}</span>
                </a>
                {extra.map(|e| view! { <span class="figure-extra">{e}</span> })}
            </li>
        }
    };
    let weighted = (!s.weighted.is_empty()).then(|| {
        let sums: Vec<String> = s.weighted.iter().map(|w| i18n::sum(*w)).collect();
        fill(Text::FigureWeighted, &[&sums.join(" · ")])
    });
    let win_rate = match s.win_rate.den {
        0 => t(Text::NoDealsClosed).to_owned(),
        closed => fill(
            Text::WinRateOf,
            &[
                &i18n::rate(&s.win_rate),
                &s.win_rate.num.to_string(),
                &closed.to_string(),
            ],
        ),
    };
    let n = |n: usize| i18n::number(n as u64);
    view! {
        <ul class="standing">
            {figure(&opportunities, Figure::OpenDeals, n(s.open_deals), weighted)}
            {figure(&opportunities, Figure::ClosingThisMonth, n(s.closing_this_month), None)}
            {figure(&leads, Figure::WaitingForQualification, n(s.waiting), None)}
            {figure(&leads, Figure::NewLeadsThisWeek, n(s.new_leads_this_week), None)}
            {figure(&opportunities, Figure::ClosedLast90Days, win_rate, None)}
        </ul>
    }
}

#[component]
pub fn TodayScreen() -> impl IntoView {
    let state = expect_context::<AppState>();
    let agenda = move || {
        let (today, now) = (today(), now());
        let (agenda, standing, empty) = state.with(|p| {
            (
                p.agenda(today, now),
                p.standing(today, local_day),
                p.has_no_records(),
            )
        });
        let due = if agenda.due.is_empty() {
            view! { <p class="empty-state">{t(Text::NoStepsDue)}</p> }.into_any()
        } else {
            steps(agenda.due).into_any()
        };
        let coming = if agenda.coming.is_empty() {
            view! {
                <p class="empty-state">{fill(Text::NoStepsComing, &[&COMING_DAYS.to_string()])}</p>
            }
            .into_any()
        } else {
            steps(agenda.coming).into_any()
        };
        let quiet = if agenda.quiet_leads.is_empty() {
            view! {
                <p class="empty-state">
                    {fill(Text::AllLeadsTouched, &[&QUIET_DAYS.to_string()])}
                </p>
            }
            .into_any()
        } else {
            let items = agenda
                .quiet_leads
                .into_iter()
                .map(|q| {
                    let href = Route::Record(Section::Leads, q.lead.0).to_hash();
                    let text = fill(
                        Text::DaysWithoutActivity,
                        &[labels::lead_status(q.status), &q.days.to_string()],
                    );
                    view! { <li><a href=href>{q.name}</a>{text}</li> }
                })
                .collect_view();
            view! { <ul class="agenda">{items}</ul> }.into_any()
        };
        view! {
            {empty.then(|| view! {
                <p class="welcome">
                    {t(Text::WelcomeStart)}
                    <a href="#/contacts">{t(Text::NounContact)}</a>
                    {t(Text::WelcomeEnd)}
                </p>
                <TrySampleData/>
            })}
            {(!empty).then(|| view! {
                <section aria-labelledby="standing-title">
                    <h2 id="standing-title">{t(Text::WhereThePipelineStands)}</h2>
                    {standing_view(standing)}
                </section>
            })}
            <section aria-labelledby="due-title">
                <h2 id="due-title">{t(Text::NextStepsDue)}</h2>
                {due}
            </section>
            <section aria-labelledby="coming-title">
                <h2 id="coming-title">{fill(Text::NextStepsComing, &[&COMING_DAYS.to_string()])}</h2>
                {coming}
            </section>
            <section aria-labelledby="quiet-title">
                <h2 id="quiet-title">{fill(Text::LeadsNotTouched, &[&QUIET_DAYS.to_string()])}</h2>
                {quiet}
            </section>
        }
    };
    view! {
        <section class="screen today" aria-labelledby="screen-title">
            <h1 id="screen-title">{t(Text::Today)}</h1>
            {agenda}
        </section>
    }
}
