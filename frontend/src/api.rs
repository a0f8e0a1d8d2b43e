//! Every HTTP call the app makes, as typed functions over the `shared` contract.
//! Same-origin requests carry the HttpOnly session cookie; the app never sees the token.

use std::fmt;

use gloo_net::http::{Request, Response};
use hotel_shared::{
    AvailabilityResponse, BookRequest, BookResponse, CancelResponse, CheckoutResponse, Credentials,
    Date, ErrorBody, HealthResponse, LoginResponse, Me, MessageResponse, OccupancyResponse,
    QueryResponse, RegisterResponse, RoomsResponse, UpdateRequest, UpdateResponse, paths,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The server said no; `message` is its own sentence.
    Refused { status: u16, message: String },
    /// The server could not be reached, or answered with something unreadable.
    Network(String),
}

impl ApiError {
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Refused { status: 401, .. })
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

async fn decode<T: DeserializeOwned>(response: Response) -> ApiResult<T> {
    if response.ok() {
        return response.json::<T>().await.map_err(network);
    }
    let status = response.status();
    let message = match response.json::<ErrorBody>().await {
        Ok(body) => body.error,
        Err(_) => format!("The server answered {status}."),
    };
    Err(ApiError::Refused { status, message })
}

async fn get<T: DeserializeOwned>(url: &str) -> ApiResult<T> {
    decode(Request::get(url).send().await.map_err(network)?).await
}

async fn send<B: Serialize, T: DeserializeOwned>(
    builder: gloo_net::http::RequestBuilder,
    body: &B,
) -> ApiResult<T> {
    let request = builder.json(body).map_err(network)?;
    decode(request.send().await.map_err(network)?).await
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

pub async fn login(credentials: &Credentials) -> ApiResult<LoginResponse> {
    send(Request::post(paths::LOGIN), credentials).await
}

pub async fn register(credentials: &Credentials) -> ApiResult<RegisterResponse> {
    send(Request::post(paths::REGISTER), credentials).await
}

pub async fn logout() -> ApiResult<MessageResponse> {
    send(Request::post(paths::LOGOUT), &Empty {}).await
}

pub async fn rooms(night: Date) -> ApiResult<RoomsResponse> {
    get(&format!("{}?date={night}", paths::ROOMS)).await
}

pub async fn availability(check_in: Date, check_out: Date) -> ApiResult<AvailabilityResponse> {
    get(&format!(
        "{}?check_in={check_in}&check_out={check_out}",
        paths::AVAILABILITY
    ))
    .await
}

pub async fn occupancy(from: Date, days: u32) -> ApiResult<OccupancyResponse> {
    get(&format!("{}?from={from}&days={days}", paths::OCCUPANCY)).await
}

pub async fn book(num_rooms: u32, check_in: Date, check_out: Date) -> ApiResult<BookResponse> {
    let body = BookRequest {
        auth: Default::default(),
        num_rooms,
        check_in: Some(check_in),
        check_out: Some(check_out),
    };
    send(Request::post(paths::BOOK), &body).await
}

pub async fn my_bookings() -> ApiResult<QueryResponse> {
    get(paths::BOOKINGS).await
}

pub async fn move_booking(booking_id: i64, new_room: u32) -> ApiResult<UpdateResponse> {
    let body = UpdateRequest {
        auth: Default::default(),
        new_room,
        booking_id: Some(booking_id),
    };
    send(Request::put(paths::UPDATE), &body).await
}

pub async fn cancel(booking_id: i64) -> ApiResult<CancelResponse> {
    send(Request::delete(&paths::booking(booking_id)), &Empty {}).await
}

pub async fn checkout() -> ApiResult<CheckoutResponse> {
    send(Request::delete(paths::CHECKOUT), &Empty {}).await
}
