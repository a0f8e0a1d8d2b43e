//! The hotel's profile (its details, kept in `settings`) and its photos.

use hotel_shared::AuditAction;
use hotel_shared::staff::{HotelDetails, Photo};
use jiff::Timestamp;
use serde::Serialize;

use super::{Actor, audit};
use crate::domain::DomainError;
use crate::domain::hotel::example_details;
use crate::store::sql::{Op, Tx, Value, params, query_opt};
use crate::store::{StoreError, StoreResult};

/// What `GET /hotel` shows: the details (the example until staff save their own) and the
/// photos.
pub struct HotelProfileRead;

impl Op for HotelProfileRead {
    type Out = (HotelDetails, Vec<Photo>);
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Self::Out> {
        let details = hotel_details(tx).await?;
        let photos = tx
            .query("SELECT id, room_type_id FROM photos ORDER BY id", params![])
            .await?
            .iter()
            .map(|r| {
                let id = r.int("id")?;
                Ok(Photo {
                    id,
                    room_type_id: r.opt_int("room_type_id")?,
                    url: hotel_shared::paths::photo(id),
                })
            })
            .collect::<StoreResult<_>>()?;
        Ok((details, photos))
    }
}

/// The hotel's details: the example until staff save their own.
pub(super) async fn hotel_details<T: Tx>(tx: &mut T) -> StoreResult<HotelDetails> {
    Ok(
        match query_opt(
            tx,
            "SELECT value FROM settings WHERE name = 'profile'",
            params![],
        )
        .await?
        {
            Some(row) => serde_json::from_str(&row.text("value")?)
                .map_err(|e| StoreError::Database(format!("stored profile: {e}")))?,
            None => example_details(),
        },
    )
}

/// Replaces the hotel's details (already checked by `domain::hotel::check_details`).
pub struct SaveHotelDetails {
    pub actor: Actor,
    pub details: HotelDetails,
}

impl Op for SaveHotelDetails {
    type Out = HotelDetails;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<HotelDetails> {
        let before: Option<HotelDetails> = query_opt(
            tx,
            "SELECT value FROM settings WHERE name = 'profile'",
            params![],
        )
        .await?
        .and_then(|row| row.text("value").ok())
        .and_then(|text| serde_json::from_str(&text).ok());
        let json = serde_json::to_string(&self.details)
            .map_err(|e| StoreError::Database(e.to_string()))?;
        tx.execute(
            "INSERT INTO settings (name, value) VALUES ('profile', $1) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            params![json],
        )
        .await?;
        audit(
            tx,
            &self.actor,
            AuditAction::HotelUpdate,
            "hotel",
            "profile",
            before.as_ref(),
            Some(&self.details),
        )
        .await?;
        Ok(self.details.clone())
    }
}

/// What the audit log keeps of a photo: not its bytes.
#[derive(Serialize)]
struct PhotoRecord<'a> {
    room_type_id: Option<i64>,
    content_type: &'a str,
    size: usize,
}

/// Keeps a photo (checked by `domain::hotel::sniff_image`) of the hotel or of a room type.
pub struct AddPhoto {
    pub actor: Actor,
    pub room_type_id: Option<i64>,
    pub content_type: &'static str,
    pub bytes: bytes::Bytes,
    /// All photos together take at most this many bytes of the database (and of every
    /// backup).
    pub storage_limit: u64,
}

impl Op for AddPhoto {
    type Out = Photo;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Photo> {
        if let Some(id) = self.room_type_id {
            let known =
                query_opt(tx, "SELECT 1 FROM room_types WHERE id = $1", params![id]).await?;
            if known.is_none() {
                return Err(DomainError::UnknownRoomType(id).into());
            }
        }
        let stored = query_opt(
            tx,
            "SELECT COALESCE(SUM(LENGTH(bytes)), 0) AS stored FROM photos",
            params![],
        )
        .await?
        .map_or(Ok(0), |r| r.int("stored"))?
        .unsigned_abs();
        let adding = u64::try_from(self.bytes.len()).unwrap_or(u64::MAX);
        if stored.saturating_add(adding) > self.storage_limit {
            return Err(DomainError::PhotoStorageFull {
                limit_mb: self.storage_limit >> 20,
            }
            .into());
        }
        let id = tx
            .insert_id(
                "INSERT INTO photos (room_type_id, content_type, bytes, created_at) VALUES ($1, $2, $3, $4)",
                vec![
                    Value::from(self.room_type_id),
                    Value::from(self.content_type),
                    Value::Bytes(self.bytes.to_vec()),
                    Value::from(Timestamp::now().to_string()),
                ],
            )
            .await?;
        audit(
            tx,
            &self.actor,
            AuditAction::PhotoAdd,
            "photo",
            id,
            None::<&PhotoRecord>,
            Some(&PhotoRecord {
                room_type_id: self.room_type_id,
                content_type: self.content_type,
                size: self.bytes.len(),
            }),
        )
        .await?;
        Ok(Photo {
            id,
            room_type_id: self.room_type_id,
            url: hotel_shared::paths::photo(id),
        })
    }
}

/// One photo's media type and bytes, if it exists.
pub struct PhotoBytes(pub i64);

impl Op for PhotoBytes {
    type Out = Option<(String, Vec<u8>)>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Self::Out> {
        let Some(row) = query_opt(
            tx,
            "SELECT content_type, bytes FROM photos WHERE id = $1",
            params![self.0],
        )
        .await?
        else {
            return Ok(None);
        };
        let bytes = match row.value("bytes")? {
            Value::Bytes(b) => b.clone(),
            other => {
                return Err(StoreError::Database(format!(
                    "photo bytes: expected bytes, found {other:?}"
                )));
            }
        };
        Ok(Some((row.text("content_type")?, bytes)))
    }
}

/// Removes a photo; 404 when there is none.
pub struct RemovePhoto {
    pub actor: Actor,
    pub id: i64,
}

impl Op for RemovePhoto {
    type Out = ();
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<()> {
        let Some(row) = query_opt(
            tx,
            "SELECT room_type_id, content_type, length(bytes) AS size FROM photos WHERE id = $1",
            params![self.id],
        )
        .await?
        else {
            return Err(DomainError::PhotoNotFound(self.id).into());
        };
        let content_type = row.text("content_type")?;
        let record = PhotoRecord {
            room_type_id: row.opt_int("room_type_id")?,
            content_type: &content_type,
            size: usize::try_from(row.int("size")?).unwrap_or(0),
        };
        tx.execute("DELETE FROM photos WHERE id = $1", params![self.id])
            .await?;
        audit(
            tx,
            &self.actor,
            AuditAction::PhotoRemove,
            "photo",
            self.id,
            Some(&record),
            None::<&PhotoRecord>,
        )
        .await?;
        Ok(())
    }
}

/// The hotel's time zone as the audit log records it.
#[derive(serde::Serialize)]
struct ZoneRecord<'a> {
    timezone: &'a str,
}

/// Moves the hotel to another time zone (`hotel-server settings timezone`); answers the zone
/// it had.
pub struct SetTimezone {
    pub actor: Actor,
    pub zone: String,
}

impl Op for SetTimezone {
    type Out = String;
    const WRITES: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<String> {
        let before = query_opt(
            tx,
            "SELECT value FROM settings WHERE name = 'timezone'",
            params![],
        )
        .await?
        .map(|row| row.text("value"))
        .transpose()?
        .unwrap_or_default();
        tx.execute(
            "UPDATE settings SET value = $1 WHERE name = 'timezone'",
            params![&self.zone],
        )
        .await?;
        audit(
            tx,
            &self.actor,
            AuditAction::HotelTimezone,
            "hotel",
            1,
            Some(&ZoneRecord { timezone: &before }),
            Some(&ZoneRecord {
                timezone: &self.zone,
            }),
        )
        .await?;
        Ok(before)
    }
}
