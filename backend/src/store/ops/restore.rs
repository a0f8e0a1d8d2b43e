//! Bringing back what was retired: a room type sold again, a room back in the hotel.

use hotel_shared::AuditAction;
use hotel_shared::staff::{Room, RoomType};

use super::reads::{room, room_type};
use super::{Actor, audit};
use crate::domain::DomainError;
use crate::store::StoreResult;
use crate::store::sql::{Op, Tx, params};

/// Sells a retired room type again.
pub struct RestoreRoomType {
    pub actor: Actor,
    pub id: i64,
}

impl Op for RestoreRoomType {
    type Out = RoomType;
    const WRITES: bool = true;
    const CHANGES_CATALOG: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<RoomType> {
        let before = room_type(tx, self.id)
            .await?
            .ok_or(DomainError::UnknownRoomType(self.id))?;
        if !before.retired {
            return Ok(before);
        }
        tx.execute(
            "UPDATE room_types SET retired = FALSE WHERE id = $1",
            params![self.id],
        )
        .await?;
        let after = RoomType {
            retired: false,
            ..before.clone()
        };
        audit(
            tx,
            &self.actor,
            AuditAction::RoomTypeRestore,
            "room_type",
            self.id,
            Some(&before),
            Some(&after),
        )
        .await?;
        Ok(after)
    }
}

/// Brings a retired room back into the hotel; its type must be on sale.
pub struct RestoreRoom {
    pub actor: Actor,
    pub number: u32,
}

impl Op for RestoreRoom {
    type Out = Room;
    const WRITES: bool = true;
    const CHANGES_CATALOG: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Room> {
        let before = room(tx, self.number)
            .await?
            .ok_or(DomainError::RoomNotFound(self.number))?;
        if !before.retired {
            return Ok(before);
        }
        let kind = room_type(tx, before.room_type_id).await?;
        if let Some(kind) = kind.filter(|k| k.retired) {
            return Err(DomainError::RoomTypeRetired {
                room: self.number,
                name: kind.name,
            }
            .into());
        }
        tx.execute(
            "UPDATE rooms SET retired = FALSE WHERE number = $1",
            params![self.number],
        )
        .await?;
        let after = Room {
            retired: false,
            ..before.clone()
        };
        audit(
            tx,
            &self.actor,
            AuditAction::RoomRestore,
            "room",
            self.number,
            Some(&before),
            Some(&after),
        )
        .await?;
        Ok(after)
    }
}
