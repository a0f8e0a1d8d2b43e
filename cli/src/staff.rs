//! `hotel staff …`: what a clerk scripts at the front desk, over a staff session.

use clap::Subcommand;
use hotel_shared::folio::{ChargeInput, PaymentInput, PaymentMethod};
use hotel_shared::housekeeping::RoomCondition;
use hotel_shared::rates::{CalendarChange, RateCalendar, RatePlanInput, Terms};
use hotel_shared::{Date, money};

use crate::client::{Auth, Client, Failure};
use crate::output::{
    Style, bill_text, desk_table, housekeeping_table, report_text, staff_rooms_table,
};
use crate::{Done, credentials, session};

#[derive(Subcommand)]
pub enum StaffCommand {
    /// Stays arriving today (or --date) and not yet checked in.
    Arrivals {
        #[arg(long)]
        date: Option<Date>,
    },
    /// Stays leaving today (or --date) and not yet checked out.
    Departures {
        #[arg(long)]
        date: Option<Date>,
    },
    /// Guests checked in now.
    InHouse,
    /// Check a guest in. A room still dirty is refused unless --room-not-clean says the guest
    /// takes it as it is.
    Checkin {
        id: i64,
        #[arg(long)]
        room_not_clean: bool,
    },
    /// Check a guest out; nights from today on are released. A bill with money owed is
    /// refused unless --leave-balance-open lets the guest go.
    Checkout {
        id: i64,
        #[arg(long)]
        leave_balance_open: bool,
    },
    /// Find bookings by guest (part of the name), reference, room, dates or status.
    Search {
        #[arg(long)]
        guest: Option<String>,
        #[arg(long)]
        reference: Option<String>,
        #[arg(long)]
        room: Option<u32>,
        /// Stays with a night on or after this day.
        #[arg(long)]
        from: Option<Date>,
        /// Stays with a night before this day.
        #[arg(long)]
        to: Option<Date>,
        /// booked, checked_in, checked_out or cancelled.
        #[arg(long)]
        status: Option<String>,
    },
    /// A stay's bill: room nights, extras, discounts, payments and the balance.
    Bill { id: i64 },
    /// Post an extra (--extra Breakfast), or a charge or --discount in your words
    /// (--description … --amount 12.50), on a stay's bill.
    Charge {
        id: i64,
        /// The name of an extra of the hotel's list.
        #[arg(long, conflicts_with = "discount")]
        extra: Option<String>,
        #[arg(long)]
        description: Option<String>,
        /// Price of one, in the hotel's currency (12.50).
        #[arg(long)]
        amount: Option<String>,
        #[arg(long)]
        quantity: Option<u32>,
        #[arg(long)]
        discount: bool,
    },
    /// Record a payment (or, with --refund, money given back) on a stay's bill.
    Pay {
        id: i64,
        /// In the hotel's currency (95.00).
        amount: String,
        #[arg(long, value_enum, default_value = "card")]
        method: Method,
        #[arg(long)]
        refund: bool,
    },
    /// Issue the stay's invoice (or show the one issued).
    Invoice { id: i64 },
    /// Move a stay to another room free for its nights. Into another room type the rest of
    /// the stay costs that type's rate, unless --complimentary keeps the booked rate.
    Move {
        id: i64,
        room: u32,
        /// An upgrade on the house: keep the booked rate (written to the audit log).
        #[arg(long)]
        complimentary: bool,
    },
    /// Cancel a stay that is not checked in.
    Cancel { id: i64 },
    /// Note a guest who never came (from the arrival day on): the room is free again from
    /// tonight.
    NoShow { id: i64 },
    /// Everything the hotel keeps about guest ID (the id `hotel staff` guest lists show), as
    /// one JSON document to hand them: redirect it to a file.
    GuestExport { id: i64 },
    /// Erase guest ID's personal data at their request: stays, amounts and issued invoices
    /// stay. Cannot be undone, so it needs --yes.
    GuestErase {
        id: i64,
        #[arg(long, required = true)]
        yes: bool,
    },
    /// Every room with its type, floor, rate and service state.
    Rooms,
    /// Rooms to clean: each room's state and who sleeps there today. With ROOM and STATE,
    /// marks that room clean, dirty or inspected.
    Housekeeping {
        room: Option<u32>,
        #[arg(value_enum, requires = "room")]
        state: Option<Condition>,
    },
    /// Prices by night and rate plans: `rates set`, `rates show`, `rates plans`.
    #[command(subcommand)]
    Rates(RatesCommand),
    /// Occupancy, revenue, ADR and RevPAR for nights FROM up to (not including) TO.
    Report {
        #[arg(long)]
        from: Date,
        #[arg(long)]
        to: Date,
    },
}

/// The rates calendar and rate plans.
#[derive(Subcommand, Debug)]
pub enum RatesCommand {
    /// Sets price and restrictions of a room type for the nights FROM up to (not including)
    /// TO; on --weekdays only when given. What is not given stays as it is.
    Set {
        /// Room type id (as `hotel quote` shows).
        #[arg(long = "type")]
        room_type: i64,
        #[arg(long)]
        from: Date,
        #[arg(long)]
        to: Date,
        /// Restrictions for this plan only (the price is always the base plan's).
        #[arg(long)]
        plan: Option<i64>,
        /// ISO weekdays, 1 = Monday … 7 = Sunday, e.g. 6,7 for weekends.
        #[arg(long, value_delimiter = ',')]
        weekdays: Option<Vec<u8>>,
        /// The nightly price, e.g. 120.00.
        #[arg(long, conflicts_with = "adjust_percent")]
        price: Option<String>,
        /// Percent up (or down, negative) from each night's price now, e.g. 20.
        #[arg(long, allow_hyphen_values = true)]
        adjust_percent: Option<i32>,
        #[arg(long)]
        min_stay: Option<u32>,
        #[arg(long)]
        max_stay: Option<u32>,
        /// Stop selling the nights.
        #[arg(long, conflicts_with = "open")]
        closed: bool,
        /// Sell the nights again.
        #[arg(long)]
        open: bool,
        #[arg(long)]
        closed_to_arrival: bool,
        #[arg(long)]
        closed_to_departure: bool,
        /// Bookable only this many days or more ahead.
        #[arg(long)]
        min_advance: Option<u32>,
        /// Bookable at most this many days ahead.
        #[arg(long)]
        max_advance: Option<u32>,
    },
    /// Each plan's price and restrictions for the nights FROM up to (not including) TO.
    Show {
        #[arg(long)]
        from: Date,
        #[arg(long)]
        to: Date,
        #[arg(long = "type")]
        room_type: Option<i64>,
    },
    /// Every rate plan.
    Plans,
    /// Adds a plan derived from a room type's base plan.
    AddPlan {
        #[arg(long = "type")]
        room_type: i64,
        #[arg(long)]
        name: String,
        /// Percent on the base plan's price, e.g. -10.
        #[arg(long, allow_hyphen_values = true, conflicts_with = "amount")]
        percent: Option<i32>,
        /// Amount a night on the base plan's price, e.g. 15.00 (or -5.00).
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        /// Paid whatever happens.
        #[arg(long)]
        non_refundable: bool,
        /// Free cancellation until this many days before arrival (default 0: the arrival day).
        #[arg(long, default_value_t = 0)]
        free_days: u32,
        /// … at this time of day, hotel time (default 18:00).
        #[arg(long, default_value = "18:00")]
        free_until: String,
        /// Not offered on the guest site.
        #[arg(long)]
        desk_only: bool,
    },
}

/// How a guest paid, as typed on the command line.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Method {
    Cash,
    Card,
    BankTransfer,
}

impl From<Method> for PaymentMethod {
    fn from(m: Method) -> Self {
        match m {
            Method::Cash => PaymentMethod::Cash,
            Method::Card => PaymentMethod::Card,
            Method::BankTransfer => PaymentMethod::BankTransfer,
        }
    }
}

/// An amount typed in the hotel's currency, as minor units.
async fn amount(client: &Client, text: &str) -> Result<i64, Failure> {
    let currency = client.health().await?.value.currency;
    money::parse(text, &currency).ok_or_else(|| {
        let message = format!("{text:?} is not an amount in {currency} (for example 12.50).");
        Failure::Refused {
            status: reqwest::StatusCode::BAD_REQUEST,
            body: serde_json::json!({ "error": message }).to_string(),
            message,
        }
    })
}

/// A room's housekeeping state, as typed on the command line.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Condition {
    Clean,
    Dirty,
    Inspected,
}

impl From<Condition> for RoomCondition {
    fn from(c: Condition) -> Self {
        match c {
            Condition::Clean => RoomCondition::Clean,
            Condition::Dirty => RoomCondition::Dirty,
            Condition::Inspected => RoomCondition::Inspected,
        }
    }
}

/// Staff endpoints take sessions only: the saved one, or one opened for this command and
/// closed after it.
pub async fn run(
    server: &str,
    user: Option<&str>,
    command: StaffCommand,
    style: Style,
) -> Result<Done, Failure> {
    let saved = session::load(server).filter(|s| user.is_none_or(|u| u.trim() == s.username));
    let (token, temporary) = match saved {
        Some(s) => (s.token, false),
        None => {
            let c = credentials(user)?;
            let login = Client::new(server, Auth::None)?.login(&c).await?;
            (login.value.token, true)
        }
    };
    let client = Client::new(server, Auth::Token(token))?;
    let done = staff_action(&client, command, style).await;
    if temporary {
        let _ = client.logout().await;
    }
    done
}

async fn staff_action(
    client: &Client,
    command: StaffCommand,
    style: Style,
) -> Result<Done, Failure> {
    let message = |a: &hotel_shared::staff::BookingAction| a.message.clone();
    Ok(match command {
        StaffCommand::Arrivals { date } => client.front_desk(date).await?.show(|d| {
            format!(
                "Arrivals on {}:\n{}",
                d.date,
                desk_table(style, &d.arrivals)
            )
        }),
        StaffCommand::Departures { date } => client.front_desk(date).await?.show(|d| {
            format!(
                "Departures on {}:\n{}",
                d.date,
                desk_table(style, &d.departures)
            )
        }),
        StaffCommand::InHouse => client
            .front_desk(None)
            .await?
            .show(|d| format!("In house:\n{}", desk_table(style, &d.in_house))),
        StaffCommand::Checkin { id, room_not_clean } => {
            client.check_in(id, room_not_clean).await?.show(message)
        }
        StaffCommand::Checkout {
            id,
            leave_balance_open,
        } => client
            .check_out(id, leave_balance_open)
            .await?
            .show(message),
        StaffCommand::Search {
            guest,
            reference,
            room,
            from,
            to,
            status,
        } => {
            let mut query = vec![];
            let pairs = [
                ("guest", guest),
                ("reference", reference),
                ("room", room.map(|r| r.to_string())),
                ("from", from.map(|d| d.to_string())),
                ("to", to.map(|d| d.to_string())),
                ("status", status),
            ];
            for (name, value) in pairs {
                if let Some(value) = value {
                    query.push((name, value));
                }
            }
            client
                .search(&query)
                .await?
                .show(|list| format!("Bookings:\n{}", desk_table(style, &list.bookings)))
        }
        StaffCommand::Bill { id } => client.bill(id).await?.show(|b| bill_text(style, b)),
        StaffCommand::GuestExport { id } => client
            .guest_export(id)
            .await?
            .show(|e| serde_json::to_string_pretty(e).unwrap_or_default()),
        StaffCommand::GuestErase { id, yes: _ } => {
            client.guest_erase(id).await?.show(|e| e.message.clone())
        }
        StaffCommand::Charge {
            id,
            extra,
            description,
            amount: price,
            quantity,
            discount,
        } => {
            let extra_id = match extra {
                Some(name) => Some(client.extra_named(&name).await?),
                None => None,
            };
            let unit_amount = match price {
                Some(text) => Some(amount(client, &text).await?),
                None => None,
            };
            let input = ChargeInput {
                extra_id,
                discount,
                description,
                quantity,
                unit_amount,
                tax_rate_id: None,
                category: None,
            };
            client
                .charge(id, &input)
                .await?
                .show(|b| bill_text(style, b))
        }
        StaffCommand::Pay {
            id,
            amount: text,
            method,
            refund,
        } => {
            let input = PaymentInput {
                method: method.into(),
                amount: amount(client, &text).await?,
                refund,
            };
            client.pay(id, &input).await?.show(|b| bill_text(style, b))
        }
        StaffCommand::Invoice { id } => {
            let currency = client.health().await?.value.currency;
            client.invoice(id).await?.show(|d| {
                format!(
                    "Invoice {} of {}: {}.",
                    d.invoice.number,
                    d.invoice.issued_on,
                    money::format(d.invoice.total, &currency)
                )
            })
        }
        StaffCommand::Move {
            id,
            room,
            complimentary,
        } => client.move_to(id, room, complimentary).await?.show(message),
        StaffCommand::Cancel { id } => client.staff_cancel(id).await?.show(message),
        StaffCommand::NoShow { id } => client.no_show(id).await?.show(message),
        StaffCommand::Rooms => {
            let currency = client.health().await?.value.currency;
            let rooms = client.staff_rooms().await?;
            rooms.show(|r| staff_rooms_table(style, &r.rooms, &currency))
        }
        StaffCommand::Housekeeping {
            room: Some(room),
            state: Some(state),
        } => client.set_condition(room, state.into()).await?.show(|r| {
            format!(
                "Room {} is {}.",
                r.number,
                r.condition.label().to_lowercase()
            )
        }),
        StaffCommand::Housekeeping { room, .. } => client.housekeeping().await?.show(|list| {
            let rooms: Vec<_> = list
                .rooms
                .iter()
                .filter(|r| room.is_none_or(|n| n == r.number))
                .cloned()
                .collect();
            housekeeping_table(style, list.date, &rooms)
        }),
        StaffCommand::Rates(command) => rates(client, command, style).await?,
        StaffCommand::Report { from, to } => client
            .report(from, to)
            .await?
            .show(|r| report_text(style, r)),
    })
}

async fn rates(client: &Client, command: RatesCommand, style: Style) -> Result<Done, Failure> {
    Ok(match command {
        RatesCommand::Set {
            room_type,
            from,
            to,
            plan,
            weekdays,
            price,
            adjust_percent,
            min_stay,
            max_stay,
            closed,
            open,
            closed_to_arrival,
            closed_to_departure,
            min_advance,
            max_advance,
        } => {
            let amount = match price {
                Some(text) => Some(Some(amount(client, &text).await?)),
                None => None,
            };
            let change = CalendarChange {
                room_type_id: room_type,
                rate_plan_id: plan,
                from,
                to,
                weekdays,
                amount,
                adjust_percent,
                min_stay: min_stay.map(Some),
                max_stay: max_stay.map(Some),
                closed: (closed || open).then_some(closed),
                closed_to_arrival: closed_to_arrival.then_some(true),
                closed_to_departure: closed_to_departure.then_some(true),
                min_advance: min_advance.map(Some),
                max_advance: max_advance.map(Some),
            };
            client
                .set_rates(&change)
                .await?
                .show(|c| format!("Set {} nights.", c.nights))
        }
        RatesCommand::Show {
            from,
            to,
            room_type,
        } => client
            .rate_calendar(from, to, room_type)
            .await?
            .show(|c| rate_calendar_text(style, c)),
        RatesCommand::AddPlan {
            room_type,
            name,
            percent,
            amount: typed,
            non_refundable,
            free_days,
            free_until,
            desk_only,
        } => {
            let derived_amount = match typed {
                Some(text) => {
                    let (sign, digits) = match text.strip_prefix('-') {
                        Some(rest) => (-1, rest.to_string()),
                        None => (1, text.trim_start_matches('+').to_string()),
                    };
                    Some(sign * amount(client, &digits).await?)
                }
                None => None,
            };
            let input = RatePlanInput {
                room_type_id: room_type,
                name,
                derived_percent: percent,
                derived_amount,
                visible: !desk_only,
                refundable: Some(!non_refundable),
                terms: Some(Terms {
                    refundable: !non_refundable,
                    free_until_days: free_days,
                    free_until_time: free_until,
                    ..Terms::default()
                }),
                includes: Vec::new(),
            };
            client.add_plan(&input).await?.show(|p| {
                format!(
                    "Added plan {} ({}) for room type {}.",
                    p.id, p.name, p.room_type_id
                )
            })
        }
        RatesCommand::Plans => client.rate_plans().await?.show(|list| {
            let mut out =
                style.bold("  Plan id  Type id  Plan                Derived      Terms\n");
            for p in &list.plans {
                let derived = match (p.derived_percent, p.derived_amount) {
                    (Some(pct), _) => format!("{pct:+} %"),
                    (None, Some(a)) => format!("{a:+} a night"),
                    (None, None) if p.base => "base".into(),
                    (None, None) => "as base".into(),
                };
                let terms = if p.terms.refundable {
                    format!(
                        "free until {} days before, {}",
                        p.terms.free_until_days, p.terms.free_until_time
                    )
                } else {
                    "non-refundable".into()
                };
                out.push_str(&format!(
                    "  {:>7}  {:>7}  {:<18}  {:<11}  {}{}{}\n",
                    p.id,
                    p.room_type_id,
                    p.name,
                    derived,
                    terms,
                    if p.visible { "" } else { ", desk only" },
                    if p.retired { ", retired" } else { "" },
                ));
            }
            out
        }),
    })
}

/// The rates calendar: one line per plan and night.
fn rate_calendar_text(style: Style, c: &RateCalendar) -> String {
    let mut out = String::new();
    for row in &c.rows {
        out.push_str(&style.bold(&format!("{} · {}\n", row.room_type, row.rate_plan)));
        for n in &row.nights {
            let r = &n.restrictions;
            let mut marks = Vec::new();
            if r.closed {
                marks.push("closed".to_string());
            }
            if r.closed_to_arrival {
                marks.push("no arrivals".into());
            }
            if r.closed_to_departure {
                marks.push("no departures".into());
            }
            if let Some(m) = r.min_stay {
                marks.push(format!("min {m} nights"));
            }
            if let Some(m) = r.max_stay {
                marks.push(format!("max {m} nights"));
            }
            out.push_str(&format!(
                "  {} {} {:<11} {}\n",
                n.date,
                n.date.weekday().short_name(),
                money::format(n.amount, &c.currency),
                marks.join(", ")
            ));
        }
    }
    out
}
