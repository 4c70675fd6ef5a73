from django.contrib import admin

from sutiao.core.admin import NoAdd, NoChange

from .models import CertificateAuthority, Document, DocumentVersion, SignerCertificate


@admin.register(SignerCertificate)
class SignerCertificateAdmin(NoAdd, NoChange, admin.ModelAdmin):
    list_display = ["subject_cn", "holder_kind", "serial", "not_after", "revoked_at"]
    list_filter = ["holder_kind"]
    search_fields = ["subject_cn", "serial"]
    exclude = ["key_encrypted"]
    readonly_fields = [
        "holder_kind",
        "user",
        "org",
        "court",
        "subject_cn",
        "serial",
        "issuer_cn",
        "not_before",
        "not_after",
        "certificate_pem",
        "chain_pem",
        "revoked_at",
        "revocation_reason",
    ]


@admin.register(CertificateAuthority)
class CertificateAuthorityAdmin(NoAdd, NoChange, admin.ModelAdmin):
    list_display = ["name", "fingerprint", "active", "created_at"]
    exclude = ["key_encrypted"]


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    can_delete = False
    readonly_fields = ["number", "sha256", "size", "signature_count", "file", "created_at"]


@admin.register(Document)
class DocumentAdmin(NoAdd, NoChange, admin.ModelAdmin):
    list_display = ["title", "kind", "case_number", "verify_code", "version", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title", "case_number", "verify_code", "sha256"]
    inlines = [VersionInline]
