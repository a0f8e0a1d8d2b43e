//! Every HTTP call the app makes, as typed functions over the `shared` contract.
//! Same-origin requests carry the HttpOnly session cookie; the app never sees the token.
//! Changes the app reads only for the server's sentence are decoded as `MessageResponse`
//! (every such answer carries `message`; the rest is skipped): one small decoder in the
//! download instead of one per answer type. Requests go straight to the browser's `fetch`
//! (web-sys): the few lines below are all the app needs of an HTTP client, and a client crate
//! (gloo-net, with `http` and its error types) cost each download 1.9 KB gzipped.

use std::fmt;

use hotel_shared::folio::{
    Bill, ChargeInput, CheckOutInput, Extra, InvoiceDocument, InvoiceRecipient, PaymentInput,
};
use hotel_shared::guests::{Guest, GuestInput, GuestList, GuestRecord};
use hotel_shared::housekeeping::{
    CheckInInput, ConditionInput, HousekeepingList, HousekeepingRoom, RoomCondition,
};
use hotel_shared::staff::{
    AuditLog, BlockInput, BookingList, FrontDesk, HotelDetails, HotelProfile, MoveInput, Photo,
    QuoteResponse, Report, Room, RoomBlock, RoomInput, RoomType, RoomTypeInput, WalkInInput,
};
use hotel_shared::{
    AvailabilityResponse, BookRequest, BookResponse, Credentials, Date, ErrorBody, ErrorCode,
    HealthResponse, Me, MessageResponse, PasswordChange, QueryResponse, Registration, Reservation,
    RoomsResponse, UpdateRequest, paths,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The server said no; `message` is its own sentence, `code` its stable word.
    Refused {
        status: u16,
        code: ErrorCode,
        message: String,
    },
    /// The server could not be reached, or answered with something unreadable.
    Network(String),
}

impl ApiError {
    /// The session ended (or never was): not a sign-in refused for its e-mail or password,
    /// which is a 401 too.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Refused { status: 401, code, .. }
            if !matches!(code, ErrorCode::WrongPassword | ErrorCode::AccountNotFound))
    }

    /// The server's code; `Unknown` when it could not be reached.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Refused { code, .. } => *code,
            ApiError::Network(_) => ErrorCode::Unknown,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Refused { message, .. } => f.write_str(message),
            ApiError::Network(detail) => write!(
                f,
                "The hotel's server could not be reached ({detail}). Check the connection and try again."
            ),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

fn network(e: impl fmt::Display) -> ApiError {
    ApiError::Network(e.to_string())
}

/// One request: same-origin, so the browser sends the session cookie.
struct Request {
    method: &'static str,
    url: String,
    content_type: Option<String>,
    body: Option<JsValue>,
}

impl Request {
    fn new(method: &'static str, url: &str) -> Request {
        Request {
            method,
            url: url.to_string(),
            content_type: None,
            body: None,
        }
    }

    fn get(url: &str) -> Request {
        Request::new("GET", url)
    }

    fn post(url: &str) -> Request {
        Request::new("POST", url)
    }

    fn put(url: &str) -> Request {
        Request::new("PUT", url)
    }

    fn delete(url: &str) -> Request {
        Request::new("DELETE", url)
    }

    fn body(mut self, content_type: &str, body: JsValue) -> Request {
        self.content_type = Some(content_type.to_string());
        self.body = Some(body);
        self
    }
}

/// What the browser said went wrong: its own message where it gave one.
fn browser(e: JsValue) -> ApiError {
    let message = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "no answer".into());
    ApiError::Network(message)
}

async fn fetch(request: Request) -> Result<(u16, String), JsValue> {
    let init = web_sys::RequestInit::new();
    init.set_method(request.method);
    if let Some(body) = &request.body {
        init.set_body(body);
    }
    let prepared = web_sys::Request::new_with_str_and_init(&request.url, &init)?;
    if let Some(content_type) = &request.content_type {
        prepared.headers().set("Content-Type", content_type)?;
    }
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&prepared))
        .await?
        .dyn_into()?;
    let text = JsFuture::from(response.text()?).await?;
    Ok((response.status(), text.as_string().unwrap_or_default()))
}

/// Every call goes through here: one compiled copy of the request code, whatever the answer's
/// type (the generic wrappers below only parse).
async fn call(request: Request) -> ApiResult<String> {
    let (status, text) = fetch(request).await.map_err(browser)?;
    if (200..300).contains(&status) {
        return Ok(text);
    }
    let (code, message) = match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => (body.code, body.error),
        Err(_) => (ErrorCode::Unknown, format!("The server answered {status}.")),
    };
    Err(ApiError::Refused {
        status,
        code,
        message,
    })
}

/// JSON that is not what was asked for (or cannot be written). The guest's download leaves
/// out serde's words for why: they weigh a kilobyte, and a guest could not act on them.
fn unreadable(e: serde_json::Error) -> ApiError {
    if cfg!(feature = "guest") {
        drop(e);
        ApiError::Network("an answer it could not read".into())
    } else {
        network(e)
    }
}

fn parse<T: DeserializeOwned>(text: ApiResult<String>) -> ApiResult<T> {
    serde_json::from_str(&text?).map_err(unreadable)
}

async fn get<T: DeserializeOwned>(url: &str) -> ApiResult<T> {
    parse(call(Request::get(url)).await)
}

async fn send<B: Serialize, T: DeserializeOwned>(request: Request, body: &B) -> ApiResult<T> {
    let json = serde_json::to_string(body).map_err(unreadable)?;
    parse(call(request.body("application/json", JsValue::from_str(&json))).await)
}

/// An empty JSON object: the session cookie says who is asking.
#[derive(Serialize)]
struct Empty {}

pub async fn health() -> ApiResult<HealthResponse> {
    get(paths::HEALTHZ).await
}

pub async fn me() -> ApiResult<Me> {
    get(paths::ME).await
}

/// The language the hotel writes to the signed-in guest in.
pub async fn set_language(language: hotel_shared::Language) -> ApiResult<Me> {
    send(
        Request::put(paths::ME_LANGUAGE),
        &hotel_shared::LanguageChoice { language },
    )
    .await
}

pub async fn login(credentials: &Credentials) -> ApiResult<MessageResponse> {
    send(Request::post(paths::LOGIN), credentials).await
}

pub async fn change_password(change: &PasswordChange) -> ApiResult<MessageResponse> {
    send(Request::post(paths::ME_PASSWORD), change).await
}

pub async fn request_password_reset(
    request: &hotel_shared::PasswordResetRequest,
) -> ApiResult<MessageResponse> {
    send(Request::post(paths::PASSWORD_RESET), request).await
}

pub async fn confirm_password_reset(
    confirm: &hotel_shared::PasswordResetConfirm,
) -> ApiResult<MessageResponse> {
    send(Request::post(paths::PASSWORD_RESET_CONFIRM), confirm).await
}

/// Confirms the address with the mailed link's token.
pub async fn verify_email(token: &str) -> ApiResult<MessageResponse> {
    let token = hotel_shared::EmailToken {
        token: token.to_string(),
    };
    send(Request::post(paths::VERIFY_EMAIL), &token).await
}

/// Mails the signed-in guest a new link to confirm their address.
pub async fn mail_email_link() -> ApiResult<MessageResponse> {
    send(Request::post(paths::ME_VERIFY_EMAIL), &Empty {}).await
}

pub async fn register(registration: &Registration) -> ApiResult<MessageResponse> {
    send(Request::post(paths::REGISTER), registration).await
}

pub async fn hotel() -> ApiResult<HotelProfile> {
    get(paths::HOTEL).await
}

pub async fn reservation(reference: &str) -> ApiResult<Reservation> {
    get(&paths::reservation(reference)).await
}

pub async fn logout() -> ApiResult<MessageResponse> {
    send(Request::post(paths::LOGOUT), &Empty {}).await
}

pub async fn rooms(night: Date) -> ApiResult<RoomsResponse> {
    get(&format!("{}?date={night}", paths::ROOMS)).await
}

pub async fn availability(
    check_in: Date,
    check_out: Date,
    guests: u32,
) -> ApiResult<AvailabilityResponse> {
    get(&format!(
        "{}?check_in={check_in}&check_out={check_out}&guests={guests}",
        paths::AVAILABILITY
    ))
    .await
}

pub async fn quote(
    check_in: Date,
    check_out: Date,
    guests: u32,
    rooms: u32,
) -> ApiResult<QuoteResponse> {
    get(&format!(
        "{}?check_in={check_in}&check_out={check_out}&guests={guests}&rooms={rooms}",
        paths::QUOTE
    ))
    .await
}

pub async fn book(
    num_rooms: u32,
    check_in: Date,
    check_out: Date,
    guests: u32,
    room_type_id: Option<i64>,
    rate_plan_id: Option<i64>,
) -> ApiResult<BookResponse> {
    let body = BookRequest {
        auth: Default::default(),
        num_rooms,
        check_in: Some(check_in),
        check_out: Some(check_out),
        guests: Some(guests),
        room_type_id,
        rate_plan_id,
    };
    send(Request::post(paths::BOOK), &body)
        .await
        .map_err(|e| match e {
            // The app books by session only: the original protocol's answer to a request with
            // neither credentials nor a session means the session ended and its cookie went.
            ApiError::Refused {
                status: 400,
                message,
                ..
            } if message.starts_with("username,") => ApiError::Refused {
                status: 401,
                code: ErrorCode::NotSignedIn,
                message,
            },
            e => e,
        })
}

/// Every current and upcoming stay of the guest, page after page.
pub async fn my_bookings() -> ApiResult<QueryResponse> {
    let mut all: QueryResponse = get(&format!("{}?limit=1000", paths::BOOKINGS)).await?;
    while let Some(cursor) = all.next_cursor.take() {
        let page: QueryResponse =
            get(&format!("{}?limit=1000&cursor={cursor}", paths::BOOKINGS)).await?;
        all.bookings.extend(page.bookings);
        all.rooms.extend(page.rooms);
        all.next_cursor = page.next_cursor;
    }
    Ok(all)
}

pub async fn move_booking(booking_id: i64, new_room: u32) -> ApiResult<MessageResponse> {
    let body = UpdateRequest {
        auth: Default::default(),
        new_room,
        booking_id: Some(booking_id),
    };
    send(Request::put(paths::UPDATE), &body).await
}

/// Cancels one room's stay, or with `all` every room booked with it.
pub async fn cancel(booking_id: i64, all: bool) -> ApiResult<MessageResponse> {
    let path = paths::booking(booking_id);
    let url = if all {
        format!("{path}?all=true")
    } else {
        path
    };
    send(Request::delete(&url), &Empty {}).await
}

pub async fn checkout() -> ApiResult<MessageResponse> {
    send(Request::delete(paths::CHECKOUT), &Empty {}).await
}

// The front desk and back office (staff sessions only).

/// The board of `day` (the hotel's today when `None`).
pub async fn front_desk(day: Option<Date>) -> ApiResult<FrontDesk> {
    match day {
        Some(day) => get(&format!("{}?date={day}", paths::staff::FRONT_DESK)).await,
        None => get(paths::staff::FRONT_DESK).await,
    }
}

/// Bookings whose `param` (guest, reference or room) matches `value`, latest 50 arrivals on.
pub async fn find_bookings(param: &str, value: &str) -> ApiResult<BookingList> {
    let value = encode_value(value);
    get(&format!(
        "{}?{param}={value}&limit=50",
        paths::staff::BOOKINGS
    ))
    .await
}

/// Guest profiles matching `q` (name, e-mail, telephone), the first 20 by name.
pub async fn guests(q: &str) -> ApiResult<GuestList> {
    get(&format!(
        "{}?limit=20&q={}",
        paths::staff::GUESTS,
        encode_value(q)
    ))
    .await
}

pub async fn guest(id: i64) -> ApiResult<GuestRecord> {
    get(&paths::staff::guest(id)).await
}

pub async fn add_guest(input: &GuestInput) -> ApiResult<Guest> {
    send(Request::post(paths::staff::GUESTS), input).await
}

pub async fn save_guest(id: i64, input: &GuestInput) -> ApiResult<Guest> {
    send(Request::put(&paths::staff::guest(id)), input).await
}

/// A query-string value, percent-encoded.
pub fn encode_value(value: &str) -> String {
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

/// Notes a guest who never came.
pub async fn no_show(id: i64) -> ApiResult<MessageResponse> {
    send(Request::post(&paths::staff::no_show(id)), &Empty {}).await
}

/// Every stay with a night from `from` to before `to`, page after page.
pub async fn staff_bookings(from: Date, to: Date) -> ApiResult<BookingList> {
    let first = format!("{}?from={from}&to={to}&limit=1000", paths::staff::BOOKINGS);
    let mut all: BookingList = get(&first).await?;
    while let Some(cursor) = all.next_cursor.take() {
        let page: BookingList = get(&format!("{first}&cursor={cursor}")).await?;
        all.bookings.extend(page.bookings);
        all.next_cursor = page.next_cursor;
    }
    Ok(all)
}

/// Checks a guest in; the overrides give them the room although it is not clean, or although
/// the guest due out of it has not checked out.
pub async fn check_in(id: i64, overrides: &CheckInInput) -> ApiResult<MessageResponse> {
    send(Request::post(&paths::staff::check_in(id)), overrides).await
}

/// Erases a guest's personal data (what the law keeps stays; the answer says what).
pub async fn erase_guest(id: i64) -> ApiResult<hotel_shared::privacy::GuestErased> {
    send(Request::post(&paths::staff::guest_erase(id)), &Empty {}).await
}

/// Every room's housekeeping state (a small hotel's rooms fit one page).
pub async fn housekeeping() -> ApiResult<HousekeepingList> {
    get(&format!("{}?limit=1000", paths::HOUSEKEEPING)).await
}

pub async fn set_condition(room: u32, condition: RoomCondition) -> ApiResult<HousekeepingRoom> {
    send(
        Request::put(&paths::housekeeping_room(room)),
        &ConditionInput { condition },
    )
    .await
}

/// Cancels a stay at the desk (not checked in yet).
/// The desk's quote: every plan, hidden ones too, no restriction applied.
pub async fn staff_quote(check_in: Date, check_out: Date, guests: u32) -> ApiResult<QuoteResponse> {
    get(&format!(
        "{}?check_in={check_in}&check_out={check_out}&guests={guests}",
        paths::staff::QUOTE
    ))
    .await
}

pub async fn staff_cancellation(id: i64) -> ApiResult<hotel_shared::rates::CancellationPreview> {
    get(&paths::staff::cancellation(id)).await
}

pub async fn staff_cancel(id: i64) -> ApiResult<MessageResponse> {
    send(Request::post(&paths::staff::cancel(id)), &Empty {}).await
}

/// Checks a guest out; `leave_balance_open` lets them go owing money.
pub async fn check_out(id: i64, leave_balance_open: bool) -> ApiResult<MessageResponse> {
    send(
        Request::post(&paths::staff::check_out(id)),
        &CheckOutInput {
            leave_balance_open,
            invoice_to: None,
        },
    )
    .await
}

pub async fn bill(id: i64) -> ApiResult<Bill> {
    get(&paths::staff::bill(id)).await
}

pub async fn extras() -> ApiResult<Vec<Extra>> {
    let list: hotel_shared::folio::ExtraList =
        get(&format!("{}?limit=1000", paths::staff::EXTRAS)).await?;
    let mut extras = list.extras;
    extras.sort_by_key(|e| (e.retired, e.name.to_lowercase()));
    Ok(extras)
}

pub async fn charge(id: i64, input: &ChargeInput) -> ApiResult<Bill> {
    send(Request::post(&paths::staff::charges(id)), input).await
}

pub async fn pay(id: i64, input: &PaymentInput) -> ApiResult<Bill> {
    send(Request::post(&paths::staff::payments(id)), input).await
}

pub async fn issue_invoice(id: i64, to: &InvoiceRecipient) -> ApiResult<InvoiceDocument> {
    send(Request::post(&paths::staff::invoice(id)), to).await
}

/// Reverses the stay's invoice with a cancellation invoice.
pub async fn cancel_invoice(id: i64) -> ApiResult<InvoiceDocument> {
    send(Request::post(&paths::staff::cancel_invoice(id)), &Empty {}).await
}

/// Moves a stay; `complimentary` keeps its rate in a room of another type.
pub async fn move_to(id: i64, room_number: u32, complimentary: bool) -> ApiResult<MessageResponse> {
    send(
        Request::post(&paths::staff::move_to(id)),
        &MoveInput {
            room_number,
            complimentary,
        },
    )
    .await
}

pub async fn walk_in(input: &WalkInInput) -> ApiResult<BookResponse> {
    send(Request::post(paths::staff::BOOKINGS), input).await
}

pub async fn room_types() -> ApiResult<Vec<RoomType>> {
    let list: hotel_shared::staff::RoomTypeList =
        get(&format!("{}?limit=1000", paths::staff::ROOM_TYPES)).await?;
    // Sold types first, cheapest first, as the desk lists them.
    let mut types = list.room_types;
    types.sort_by_key(|t| (t.retired, t.rate, t.id));
    Ok(types)
}

/// Creates a type (`id` None) or changes one.
pub async fn save_extra(
    id: Option<i64>,
    input: &hotel_shared::folio::ExtraInput,
) -> ApiResult<Extra> {
    match id {
        Some(id) => send(Request::put(&paths::staff::extra(id)), input).await,
        None => send(Request::post(paths::staff::EXTRAS), input).await,
    }
}

/// Takes an extra off sale (`on_sale` false) or puts it back.
pub async fn sell_extra(id: i64, on_sale: bool) -> ApiResult<Extra> {
    if on_sale {
        let path = format!("{}/restore", paths::staff::extra(id));
        send(Request::post(&path), &Empty {}).await
    } else {
        send(Request::delete(&paths::staff::extra(id)), &Empty {}).await
    }
}

pub async fn save_room_type(id: Option<i64>, input: &RoomTypeInput) -> ApiResult<RoomType> {
    match id {
        Some(id) => send(Request::put(&paths::staff::room_type(id)), input).await,
        None => send(Request::post(paths::staff::ROOM_TYPES), input).await,
    }
}

pub async fn retire_room_type(id: i64) -> ApiResult<RoomType> {
    send(Request::delete(&paths::staff::room_type(id)), &Empty {}).await
}

pub async fn staff_rooms() -> ApiResult<Vec<Room>> {
    let list: hotel_shared::staff::RoomList =
        get(&format!("{}?limit=1000", paths::staff::ROOMS)).await?;
    let mut rooms = list.rooms;
    rooms.sort_by_key(|r| (r.retired, r.number));
    Ok(rooms)
}

/// Creates a room (`input.number` set) or changes room `number`.
pub async fn save_room(number: Option<u32>, input: &RoomInput) -> ApiResult<Room> {
    match number {
        Some(n) => send(Request::put(&paths::staff::room(n)), input).await,
        None => send(Request::post(paths::staff::ROOMS), input).await,
    }
}

pub async fn retire_room(number: u32) -> ApiResult<Room> {
    send(Request::delete(&paths::staff::room(number)), &Empty {}).await
}

pub async fn restore_room(number: u32) -> ApiResult<Room> {
    let path = format!("{}/restore", paths::staff::room(number));
    send(Request::post(&path), &Empty {}).await
}

pub async fn restore_room_type(id: i64) -> ApiResult<RoomType> {
    let path = format!("{}/restore", paths::staff::room_type(id));
    send(Request::post(&path), &Empty {}).await
}

/// Every range out of service, page after page: with booking sites' stays imported there
/// may be thousands.
pub async fn blocks() -> ApiResult<Vec<RoomBlock>> {
    let mut blocks = Vec::new();
    let mut path = format!("{}?limit=1000", paths::staff::BLOCKS);
    loop {
        let list: hotel_shared::staff::BlockList = get(&path).await?;
        blocks.extend(list.blocks);
        match list.next_cursor {
            Some(cursor) => {
                path = format!("{}?limit=1000&cursor={cursor}", paths::staff::BLOCKS);
            }
            None => break,
        }
    }
    blocks.sort_by_key(|b| (b.from, b.room_number, b.id));
    Ok(blocks)
}

pub async fn add_block(input: &BlockInput) -> ApiResult<RoomBlock> {
    send(Request::post(paths::staff::BLOCKS), input).await
}

pub async fn remove_block(id: i64) -> ApiResult<RoomBlock> {
    send(Request::delete(&paths::staff::block(id)), &Empty {}).await
}

pub async fn feeds() -> ApiResult<hotel_shared::channels::FeedList> {
    get(&format!("{}?limit=1000", paths::staff::FEEDS)).await
}

pub async fn add_feed(room: u32, url: String) -> ApiResult<hotel_shared::channels::Feed> {
    let input = hotel_shared::channels::FeedInput { url };
    send(Request::post(&paths::staff::room_feeds(room)), &input).await
}

pub async fn sync_feed(id: i64) -> ApiResult<hotel_shared::channels::FeedSynced> {
    send(Request::post(&paths::staff::feed_sync(id)), &Empty {}).await
}

pub async fn remove_feed(id: i64) -> ApiResult<hotel_shared::channels::Feed> {
    send(Request::delete(&paths::staff::feed(id)), &Empty {}).await
}

pub async fn new_room_address(room: u32) -> ApiResult<hotel_shared::channels::CalendarAddress> {
    send(
        Request::post(&paths::staff::room_ical_address(room)),
        &Empty {},
    )
    .await
}

pub async fn api_keys() -> ApiResult<hotel_shared::keys::ApiKeyList> {
    get(&format!("{}?limit=1000", paths::staff::API_KEYS)).await
}

pub async fn make_api_key(
    input: &hotel_shared::keys::ApiKeyInput,
) -> ApiResult<hotel_shared::keys::NewApiKey> {
    send(Request::post(paths::staff::API_KEYS), input).await
}

pub async fn revoke_api_key(id: i64) -> ApiResult<hotel_shared::keys::ApiKey> {
    send(Request::delete(&paths::staff::api_key(id)), &Empty {}).await
}

pub async fn tax_rates() -> ApiResult<hotel_shared::taxes::TaxRateList> {
    get(&format!("{}?limit=1000", paths::staff::TAX_RATES)).await
}

pub async fn add_tax_rate(
    input: &hotel_shared::taxes::TaxRateInput,
) -> ApiResult<hotel_shared::taxes::TaxRate> {
    send(Request::post(paths::staff::TAX_RATES), input).await
}

/// The hotel's city tax; `None` when it collects none.
pub async fn city_tax() -> ApiResult<Option<hotel_shared::taxes::CityTax>> {
    match get(paths::staff::CITY_TAX).await {
        Ok(rule) => Ok(Some(rule)),
        Err(ApiError::Refused { status: 404, .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn set_city_tax(
    rule: &hotel_shared::taxes::CityTax,
) -> ApiResult<hotel_shared::taxes::CityTax> {
    send(Request::put(paths::staff::CITY_TAX), rule).await
}

pub async fn remove_city_tax() -> ApiResult<MessageResponse> {
    send(Request::delete(paths::staff::CITY_TAX), &Empty {}).await
}

pub async fn price_basis() -> ApiResult<hotel_shared::taxes::PriceBasisSetting> {
    get(paths::staff::PRICE_BASIS).await
}

pub async fn set_price_basis(
    setting: &hotel_shared::taxes::PriceBasisSetting,
) -> ApiResult<hotel_shared::taxes::PriceBasisSetting> {
    send(Request::put(paths::staff::PRICE_BASIS), setting).await
}

pub async fn webhooks() -> ApiResult<hotel_shared::webhooks::WebhookList> {
    get(&format!("{}?limit=1000", paths::staff::WEBHOOKS)).await
}

pub async fn add_webhook(
    input: &hotel_shared::webhooks::WebhookInput,
) -> ApiResult<hotel_shared::webhooks::Webhook> {
    send(Request::post(paths::staff::WEBHOOKS), input).await
}

pub async fn resume_webhook(id: i64) -> ApiResult<hotel_shared::webhooks::Webhook> {
    let input = hotel_shared::webhooks::ResumeInput::default();
    send(Request::post(&paths::staff::webhook_resume(id)), &input).await
}

pub async fn remove_webhook(id: i64) -> ApiResult<hotel_shared::webhooks::Webhook> {
    send(Request::delete(&paths::staff::webhook(id)), &Empty {}).await
}

pub async fn rate_plans() -> ApiResult<hotel_shared::rates::RatePlanList> {
    get(&format!("{}?limit=1000", paths::staff::RATE_PLANS)).await
}

pub async fn add_plan(
    input: &hotel_shared::rates::RatePlanInput,
) -> ApiResult<hotel_shared::rates::RatePlan> {
    send(Request::post(paths::staff::RATE_PLANS), input).await
}

pub async fn retire_plan(id: i64) -> ApiResult<hotel_shared::rates::RatePlan> {
    let path = format!("{}/{id}", paths::staff::RATE_PLANS);
    send(Request::delete(&path), &Empty {}).await
}

pub async fn rate_calendar(from: Date, to: Date) -> ApiResult<hotel_shared::rates::RateCalendar> {
    get(&format!(
        "{}?from={from}&to={to}",
        paths::staff::RATE_CALENDAR
    ))
    .await
}

pub async fn set_rates(
    change: &hotel_shared::rates::CalendarChange,
) -> ApiResult<hotel_shared::rates::CalendarChanged> {
    send(Request::put(paths::staff::RATE_CALENDAR), change).await
}

pub async fn report(from: Date, to: Date) -> ApiResult<Report> {
    get(&format!("{}?from={from}&to={to}", paths::staff::REPORT)).await
}

pub async fn revenue(
    from: Date,
    to: Date,
    by: hotel_shared::taxes::RevenuePeriod,
) -> ApiResult<hotel_shared::taxes::RevenueReport> {
    let by = match by {
        hotel_shared::taxes::RevenuePeriod::Day => "day",
        hotel_shared::taxes::RevenuePeriod::Month => "month",
    };
    get(&format!(
        "{}?from={from}&to={to}&by={by}",
        paths::staff::REVENUE
    ))
    .await
}

pub async fn save_hotel(details: &HotelDetails) -> ApiResult<HotelDetails> {
    send(Request::put(paths::staff::HOTEL), details).await
}

/// Sends the photo's own bytes; the server judges what it is by them.
pub async fn upload_photo(room_type: Option<i64>, file: &web_sys::File) -> ApiResult<Photo> {
    let url = match room_type {
        Some(t) => format!("{}?room_type_id={t}", paths::staff::PHOTOS),
        None => paths::staff::PHOTOS.to_string(),
    };
    let request = Request::post(&url).body(&file.type_(), JsValue::from(file.clone()));
    parse(call(request).await)
}

/// `DELETE /staff/photos/{id}` answers 204 with no body.
pub async fn remove_photo(id: i64) -> ApiResult<()> {
    call(Request::delete(&paths::staff::photo(id)))
        .await
        .map(|_| ())
}

/// A page of the audit log; `filters` are `&name=value` pairs (and `&cursor=…`), encoded.
pub async fn messages(filters: &str) -> ApiResult<hotel_shared::mail::MessageList> {
    get(&format!("{}?limit=100{filters}", paths::staff::MESSAGES)).await
}

pub async fn send_message_again(id: i64) -> ApiResult<hotel_shared::mail::Message> {
    send(Request::post(&paths::staff::send_again(id)), &Empty {}).await
}

pub async fn audit(filters: &str) -> ApiResult<AuditLog> {
    get(&format!("{}?limit=100{filters}", paths::staff::AUDIT)).await
}

pub async fn template(
    kind: hotel_shared::MessageKind,
    language: hotel_shared::Language,
) -> ApiResult<hotel_shared::mail::MessageTemplate> {
    get(&paths::staff::template(kind, language)).await
}

pub async fn save_template(
    kind: hotel_shared::MessageKind,
    language: hotel_shared::Language,
    input: &hotel_shared::mail::TemplateInput,
) -> ApiResult<hotel_shared::mail::MessageTemplate> {
    send(Request::put(&paths::staff::template(kind, language)), input).await
}

/// Back to the wording that ships with the server.
pub async fn reset_template(
    kind: hotel_shared::MessageKind,
    language: hotel_shared::Language,
) -> ApiResult<hotel_shared::mail::MessageTemplate> {
    parse(call(Request::delete(&paths::staff::template(kind, language))).await)
}

pub async fn preview_template(
    kind: hotel_shared::MessageKind,
    language: hotel_shared::Language,
    input: &hotel_shared::mail::PreviewInput,
) -> ApiResult<hotel_shared::mail::MessagePreview> {
    send(
        Request::post(&paths::staff::template_preview(kind, language)),
        input,
    )
    .await
}
