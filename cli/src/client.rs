//! Every call the terminal client makes, typed over the `shared` contract.

use hotel_shared::folio::{
    Bill, ChargeInput, CheckOutInput, ExtraList, InvoiceDocument, PaymentInput,
};
use hotel_shared::housekeeping::{
    CheckInInput, ConditionInput, HousekeepingList, HousekeepingRoom, RoomCondition,
};
use hotel_shared::rates::{
    CalendarChange, CalendarChanged, RateCalendar, RatePlan, RatePlanInput, RatePlanList,
};
use hotel_shared::staff::{
    BookingAction, BookingList, FrontDesk, MoveInput, QuoteResponse, Report, RoomList,
};
use hotel_shared::{
    AuthRequest, AvailabilityResponse, BookRequest, BookResponse, CancelResponse, CheckoutResponse,
    Credentials, Date, ErrorBody, LoginResponse, MessageResponse, QueryResponse, RegisterResponse,
    RoomsResponse, UpdateRequest, UpdateResponse, paths,
};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Why a call did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// The server answered with an error status; `body` is its JSON as sent.
    Refused {
        status: StatusCode,
        message: String,
        body: String,
    },
    /// The server could not be reached at all.
    Unreachable(String),
    /// The server answered something that is not the protocol.
    Protocol(String),
}

/// A successful answer: the typed value and the body exactly as the server sent it.
pub struct Answer<T> {
    pub value: T,
    pub raw: String,
}

/// Who the requests are made as.
#[derive(Clone, Debug)]
pub enum Auth {
    Password { username: String, password: String },
    Token(String),
    None,
}

impl Auth {
    fn body(&self) -> AuthRequest {
        match self {
            Auth::Password { username, password } => AuthRequest {
                username: Some(username.clone()),
                password: Some(password.clone()),
            },
            _ => AuthRequest::default(),
        }
    }
}

pub struct Client {
    http: reqwest::Client,
    base: String,
    pub auth: Auth,
}

impl Client {
    pub fn new(base: &str, auth: Auth) -> Result<Client, Failure> {
        // One process-wide crypto provider for https:// servers; a second install is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .map_err(|e| Failure::Unreachable(e.to_string()))?;
        Ok(Client {
            http,
            base: base.trim_end_matches('/').to_string(),
            auth,
        })
    }

    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<Answer<T>, Failure> {
        let mut request = self.http.request(method, format!("{}{}", self.base, path));
        if let Auth::Token(token) = &self.auth {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|e| {
            let mut cause: &dyn std::error::Error = &e;
            while let Some(next) = cause.source() {
                cause = next;
            }
            Failure::Unreachable(cause.to_string())
        })?;
        let status = response.status();
        // Nothing the server sends reaches the terminal as a control character: the JSON as
        // sent has them escaped, and the texts read from it have them replaced.
        let raw = crate::output::escape_unprintable_json(
            &response
                .text()
                .await
                .map_err(|e| Failure::Protocol(e.to_string()))?,
        );
        let parsed =
            serde_json::from_str::<serde_json::Value>(&raw).map(crate::output::printable_value);
        if status.is_success() {
            let value = parsed
                .and_then(serde_json::from_value)
                .map_err(|e| Failure::Protocol(format!("unexpected answer ({e}): {raw}")))?;
            Ok(Answer { value, raw })
        } else {
            let message = parsed
                .and_then(serde_json::from_value::<ErrorBody>)
                .map(|b| b.error)
                .unwrap_or_else(|_| format!("the server answered {status}"));
            Err(Failure::Refused {
                status,
                message,
                body: raw,
            })
        }
    }

    pub async fn rooms(&self, date: Option<Date>) -> Result<Answer<RoomsResponse>, Failure> {
        let path = match date {
            Some(d) => format!("{}?date={d}", paths::ROOMS),
            None => paths::ROOMS.to_string(),
        };
        self.call::<(), _>(Method::GET, &path, None).await
    }

    pub async fn availability(
        &self,
        check_in: Date,
        check_out: Date,
    ) -> Result<Answer<AvailabilityResponse>, Failure> {
        let path = format!(
            "{}?check_in={check_in}&check_out={check_out}",
            paths::AVAILABILITY
        );
        self.call::<(), _>(Method::GET, &path, None).await
    }

    pub async fn quote(
        &self,
        check_in: Date,
        check_out: Date,
        guests: u32,
    ) -> Result<Answer<QuoteResponse>, Failure> {
        let path = format!(
            "{}?check_in={check_in}&check_out={check_out}&guests={guests}",
            paths::QUOTE
        );
        self.call::<(), _>(Method::GET, &path, None).await
    }

    pub async fn book(&self, request: BookRequest) -> Result<Answer<BookResponse>, Failure> {
        let body = BookRequest {
            auth: self.auth.body(),
            ..request
        };
        self.call(Method::POST, paths::BOOK, Some(&body)).await
    }

    pub async fn query(&self) -> Result<Answer<QueryResponse>, Failure> {
        self.call(Method::POST, paths::QUERY, Some(&self.auth.body()))
            .await
    }

    pub async fn update(
        &self,
        new_room: u32,
        booking_id: Option<i64>,
    ) -> Result<Answer<UpdateResponse>, Failure> {
        let body = UpdateRequest {
            auth: self.auth.body(),
            new_room,
            booking_id,
        };
        self.call(Method::PUT, paths::UPDATE, Some(&body)).await
    }

    pub async fn checkout(&self) -> Result<Answer<CheckoutResponse>, Failure> {
        self.call(Method::DELETE, paths::CHECKOUT, Some(&self.auth.body()))
            .await
    }

    pub async fn cancel(&self, booking_id: i64) -> Result<Answer<CancelResponse>, Failure> {
        self.call(
            Method::DELETE,
            &paths::booking(booking_id),
            Some(&self.auth.body()),
        )
        .await
    }

    pub async fn register(
        &self,
        credentials: &Credentials,
    ) -> Result<Answer<RegisterResponse>, Failure> {
        self.call(Method::POST, paths::REGISTER, Some(credentials))
            .await
    }

    pub async fn login(&self, credentials: &Credentials) -> Result<Answer<LoginResponse>, Failure> {
        self.call(Method::POST, paths::LOGIN, Some(credentials))
            .await
    }

    pub async fn logout(&self) -> Result<Answer<MessageResponse>, Failure> {
        self.call::<(), _>(Method::POST, paths::LOGOUT, None).await
    }

    pub async fn health(&self) -> Result<Answer<hotel_shared::HealthResponse>, Failure> {
        self.call::<(), _>(Method::GET, paths::HEALTHZ, None).await
    }

    pub async fn front_desk(&self, date: Option<Date>) -> Result<Answer<FrontDesk>, Failure> {
        let path = match date {
            Some(d) => format!("{}?date={d}", paths::staff::FRONT_DESK),
            None => paths::staff::FRONT_DESK.to_string(),
        };
        self.call::<(), _>(Method::GET, &path, None).await
    }

    pub async fn check_in(
        &self,
        id: i64,
        override_housekeeping: bool,
    ) -> Result<Answer<BookingAction>, Failure> {
        self.call(
            Method::POST,
            &paths::staff::check_in(id),
            Some(&CheckInInput {
                override_housekeeping,
                ..CheckInInput::default()
            }),
        )
        .await
    }

    /// Every room's housekeeping state (one page of up to 1,000 rooms: a small hotel's all).
    pub async fn housekeeping(&self) -> Result<Answer<HousekeepingList>, Failure> {
        let path = format!("{}?limit=1000", paths::HOUSEKEEPING);
        self.call::<(), _>(Method::GET, &path, None).await
    }

    pub async fn set_condition(
        &self,
        room: u32,
        condition: RoomCondition,
    ) -> Result<Answer<HousekeepingRoom>, Failure> {
        self.call(
            Method::PUT,
            &paths::housekeeping_room(room),
            Some(&ConditionInput { condition }),
        )
        .await
    }

    pub async fn check_out(
        &self,
        id: i64,
        leave_balance_open: bool,
    ) -> Result<Answer<BookingAction>, Failure> {
        self.call(
            Method::POST,
            &paths::staff::check_out(id),
            Some(&CheckOutInput {
                leave_balance_open,
                invoice_to: None,
            }),
        )
        .await
    }

    /// Bookings matching `query` (name, value pairs), up to 1,000.
    pub async fn search(&self, query: &[(&str, String)]) -> Result<Answer<BookingList>, Failure> {
        let mut path = format!("{}?limit=1000", paths::staff::BOOKINGS);
        for (name, value) in query {
            let encoded: String = url_encode(value);
            path.push_str(&format!("&{name}={encoded}"));
        }
        self.call::<(), _>(Method::GET, &path, None).await
    }

    pub async fn set_rates(
        &self,
        change: &CalendarChange,
    ) -> Result<Answer<CalendarChanged>, Failure> {
        self.call(Method::PUT, paths::staff::RATE_CALENDAR, Some(change))
            .await
    }

    pub async fn rate_calendar(
        &self,
        from: Date,
        to: Date,
        room_type: Option<i64>,
    ) -> Result<Answer<RateCalendar>, Failure> {
        let mut path = format!("{}?from={from}&to={to}", paths::staff::RATE_CALENDAR);
        if let Some(t) = room_type {
            path.push_str(&format!("&room_type_id={t}"));
        }
        self.call::<(), _>(Method::GET, &path, None).await
    }

    pub async fn add_plan(&self, input: &RatePlanInput) -> Result<Answer<RatePlan>, Failure> {
        self.call(Method::POST, paths::staff::RATE_PLANS, Some(input))
            .await
    }

    pub async fn rate_plans(&self) -> Result<Answer<RatePlanList>, Failure> {
        let path = format!("{}?limit=500", paths::staff::RATE_PLANS);
        self.call::<(), _>(Method::GET, &path, None).await
    }

    pub async fn no_show(&self, id: i64) -> Result<Answer<BookingAction>, Failure> {
        self.call::<(), _>(Method::POST, &paths::staff::no_show(id), None)
            .await
    }

    pub async fn bill(&self, id: i64) -> Result<Answer<Bill>, Failure> {
        self.call::<(), _>(Method::GET, &paths::staff::bill(id), None)
            .await
    }

    pub async fn guest_export(
        &self,
        id: i64,
    ) -> Result<Answer<hotel_shared::privacy::GuestExport>, Failure> {
        self.call::<(), _>(Method::GET, &paths::staff::guest_export(id), None)
            .await
    }

    pub async fn guest_erase(
        &self,
        id: i64,
    ) -> Result<Answer<hotel_shared::privacy::GuestErased>, Failure> {
        self.call(
            Method::POST,
            &paths::staff::guest_erase(id),
            Some(&serde_json::json!({})),
        )
        .await
    }

    pub async fn charge(&self, id: i64, input: &ChargeInput) -> Result<Answer<Bill>, Failure> {
        self.call(Method::POST, &paths::staff::charges(id), Some(input))
            .await
    }

    pub async fn pay(&self, id: i64, input: &PaymentInput) -> Result<Answer<Bill>, Failure> {
        self.call(Method::POST, &paths::staff::payments(id), Some(input))
            .await
    }

    pub async fn invoice(&self, id: i64) -> Result<Answer<InvoiceDocument>, Failure> {
        self.call::<(), _>(Method::POST, &paths::staff::invoice(id), None)
            .await
    }

    /// The id of the extra called `name` (any case), or the server's own 404 sentence.
    pub async fn extra_named(&self, name: &str) -> Result<i64, Failure> {
        let path = format!("{}?limit=1000", paths::staff::EXTRAS);
        let extras: Answer<ExtraList> = self.call::<(), _>(Method::GET, &path, None).await?;
        extras
            .value
            .extras
            .iter()
            .find(|e| !e.retired && e.name.eq_ignore_ascii_case(name.trim()))
            .map(|e| e.id)
            .ok_or_else(|| {
                let known: Vec<&str> = extras
                    .value
                    .extras
                    .iter()
                    .filter(|e| !e.retired)
                    .map(|e| e.name.as_str())
                    .collect();
                let message = format!(
                    "No extra named {name:?}; the hotel has: {}.",
                    known.join(", ")
                );
                Failure::Refused {
                    status: StatusCode::NOT_FOUND,
                    body: serde_json::json!({ "error": message }).to_string(),
                    message,
                }
            })
    }

    pub async fn move_to(
        &self,
        id: i64,
        room_number: u32,
        complimentary: bool,
    ) -> Result<Answer<BookingAction>, Failure> {
        self.call(
            Method::POST,
            &paths::staff::move_to(id),
            Some(&MoveInput {
                room_number,
                complimentary,
            }),
        )
        .await
    }

    pub async fn staff_cancel(&self, id: i64) -> Result<Answer<BookingAction>, Failure> {
        self.call::<(), _>(Method::POST, &paths::staff::cancel(id), None)
            .await
    }

    /// The first thousand rooms (the most one page holds).
    pub async fn staff_rooms(&self) -> Result<Answer<RoomList>, Failure> {
        let path = format!("{}?limit=1000", paths::staff::ROOMS);
        self.call::<(), _>(Method::GET, &path, None).await
    }

    pub async fn report(&self, from: Date, to: Date) -> Result<Answer<Report>, Failure> {
        let path = format!("{}?from={from}&to={to}", paths::staff::REPORT);
        self.call::<(), _>(Method::GET, &path, None).await
    }
}

/// A query-string value, percent-encoded.
fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
