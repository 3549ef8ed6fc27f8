-- Every event has its session numbers: int_event_session_numbers holds each event of stg_events
-- exactly once (its event_id is tested unique, and it is computed from stg_events alone), so the
-- two row counts must agree; a difference means int_user_events would show events without a
-- session. Counting is cheap on both, unlike testing the joined view row by row.
with counts as (
    select
        (select count(*) from {{ ref('stg_events') }}) as events,
        (select count(*) from {{ ref('int_event_session_numbers') }}) as numbered_events
)

select *
from counts
where events <> numbered_events
