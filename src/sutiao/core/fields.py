"""Field factories for the column shapes every domain repeats.

`optional_fk(Court, "cases", _("court"))` is a foreign key that may be empty (null and
blank); `by_user()` is the user who did something, with no reverse accessor on the user:
required and kept (PROTECT), or with `optional=True` empty when unknown and emptied if the
user is deleted (SET_NULL). Both return plain Django fields, so migrations see no change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, overload

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise
else:
    _StrOrPromise = str

_M = TypeVar("_M", bound=models.Model)


@overload
def optional_fk(
    to: type[_M],
    related_name: str | None = ...,
    verbose_name: _StrOrPromise | None = ...,
    *,
    on_delete: Any = ...,
    **options: Any,
) -> models.ForeignKey[_M | None, _M | None]: ...
@overload
def optional_fk(
    to: str,
    related_name: str | None = ...,
    verbose_name: _StrOrPromise | None = ...,
    *,
    on_delete: Any = ...,
    **options: Any,
) -> models.ForeignKey[Any, Any]: ...
def optional_fk(
    to: Any,
    related_name: str | None = None,
    verbose_name: _StrOrPromise | None = None,
    *,
    on_delete: Any = models.PROTECT,
    **options: Any,
) -> models.ForeignKey[Any, Any]:
    """A foreign key that may be empty; PROTECT unless `on_delete` says otherwise; `options`
    (help_text ...) go to the field as they are."""
    return models.ForeignKey(
        to,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )


def by_user(
    verbose_name: _StrOrPromise | None = None, *, optional: bool = False
) -> models.ForeignKey[Any, Any]:
    """The user who did something (created, recorded, signed ...), no reverse accessor."""
    if optional:
        return optional_fk(settings.AUTH_USER_MODEL, "+", verbose_name, on_delete=models.SET_NULL)
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=verbose_name,
    )


class EncryptedCharField(models.CharField):
    """A short personal value (a phone number) stored as an envelope ciphertext (core.crypto):
    Python sees the clear value, the database only `env1.…`. The column is text, since the
    ciphertext is longer than the value; `max_length` bounds the clear value.

    An equality filter on it cannot match (every ciphertext is different): a value that is
    searched keeps an HMAC look-up column beside it (`hash_field`), filled on save.
    A stored value that is not an envelope (a row from before the migration that encrypts the
    column) reads as it is, so a data migration can convert it by saving it again.
    """

    def __init__(self, *args: Any, hash_field: str = "", **kwargs: Any) -> None:
        self.hash_field = hash_field
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.hash_field:
            kwargs["hash_field"] = self.hash_field
        return name, path, args, kwargs

    def db_type(self, connection: Any) -> str | None:
        return models.TextField().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        from sutiao.core import crypto

        if isinstance(value, str) and crypto.is_envelope(value):
            return crypto.decrypt(value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        from sutiao.core import crypto

        value = super().get_prep_value(value)
        if isinstance(value, str) and value and not crypto.is_envelope(value):
            return crypto.encrypt(value)
        return value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        from sutiao.core import crypto

        value = super().pre_save(model_instance, add)
        if self.hash_field:
            setattr(model_instance, self.hash_field, crypto.lookup_hash(value) if value else "")
        return value


def encrypt_existing(model: type[models.Model], name: str, schema_editor: Any) -> int:
    """For a data migration after a column became an EncryptedCharField: encrypt the values
    stored in clear (and fill the look-up hash). Rows already encrypted are left alone."""
    from sutiao.core import crypto

    field: Any = model._meta.get_field(name)
    hash_field = getattr(field, "hash_field", "")
    table, column = model._meta.db_table, field.column
    qn = schema_editor.connection.ops.quote_name
    converted = 0
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn(model._meta.pk.column)}, {qn(column)} FROM {qn(table)}")  # noqa: S608  # nosec B608 (docs/security-findings.md)
        rows = cursor.fetchall()
    for pk, stored in rows:
        if not stored or crypto.is_envelope(stored):
            continue
        values = {name: stored}
        if hash_field:
            values[hash_field] = crypto.lookup_hash(stored)
        model._default_manager.filter(pk=pk).update(**values)
        converted += 1
    return converted


def decrypt_existing(model: type[models.Model], name: str, schema_editor: Any) -> None:
    """The reverse of `encrypt_existing`: the clear values back in the column."""
    from sutiao.core import crypto

    column = model._meta.get_field(name).column  # type: ignore[union-attr]
    table, pk_column = model._meta.db_table, model._meta.pk.column
    qn = schema_editor.connection.ops.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn(pk_column)}, {qn(column)} FROM {qn(table)}")  # noqa: S608  # nosec B608 (docs/security-findings.md)
        for pk, stored in cursor.fetchall():
            if stored and crypto.is_envelope(stored):
                cursor.execute(
                    f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE {qn(pk_column)} = %s",  # noqa: S608  # nosec B608 (docs/security-findings.md)
                    [crypto.decrypt(stored), pk],
                )


def cipher_text(**kwargs: Any) -> models.TextField:
    """A text column holding ciphertext that the code encrypts and decrypts itself (an identity
    number's `id_number_cipher`); marked so that `sutiao keys rotate` finds it. A plain
    TextField to migrations."""
    field: Any = models.TextField(**kwargs)
    field.holds_ciphertext = True
    return field


def ciphertext_columns() -> list[tuple[type[models.Model], models.Field]]:
    """Every column of an installed model that holds envelope ciphertext."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedCharField) or getattr(field, "holds_ciphertext", False)
    ]


def encrypt_in_place(app_label: str, model_name: str, name: str) -> Any:
    """The data-migration step after an AlterField to EncryptedCharField: the values in clear
    encrypted (look-up hash filled), and back to clear when the migration is reversed."""
    from django.db import migrations

    def forward(apps: Any, schema_editor: Any) -> None:
        encrypt_existing(apps.get_model(app_label, model_name), name, schema_editor)

    def backward(apps: Any, schema_editor: Any) -> None:
        decrypt_existing(apps.get_model(app_label, model_name), name, schema_editor)

    return migrations.RunPython(forward, backward)
