"""Object storage: uploaded resumes and generated exports, per user.

Pick a backend with `build_store`; depend on the `ObjectStore` protocol; build keys with
`user_key`. The filesystem backend's signed URLs need `files_route(store)` mounted in the app.
"""

from app.storage.factory import build_store
from app.storage.filesystem import FilesystemStore, StoredObject
from app.storage.keys import InvalidKey, is_owned_by, owner_of, user_key, validate_key
from app.storage.protocol import ObjectNotFound, ObjectStore, StorageError
from app.storage.routes import files_route
from app.storage.s3 import S3Store
from app.storage.signing import SignatureError, SignatureFailure

__all__ = [
    "FilesystemStore",
    "InvalidKey",
    "ObjectNotFound",
    "ObjectStore",
    "S3Store",
    "SignatureError",
    "SignatureFailure",
    "StorageError",
    "StoredObject",
    "build_store",
    "files_route",
    "is_owned_by",
    "owner_of",
    "user_key",
    "validate_key",
]
