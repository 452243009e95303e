/*
 * AES-256-GCM without the allocations of node:crypto, for encrypting and decrypting app files.
 *
 * Why this exists: Node 20's decipher.update() returns a fresh buffer per call (allocated twice and
 * copied), so a JS decryption of a 36 MB app costs about as much in allocation and copying as the
 * AES-GCM work itself, and every output then has to be copied back into the payload. Here
 * EVP_DecryptUpdate writes over its own input (OpenSSL allows out == in), so a load decrypts the
 * ciphertext where the read put it; a save encrypts straight into the writer's staging buffer.
 * The cryptography is Node's own OpenSSL (the symbols the node binary exports for addons), not a
 * second copy.
 *
 * Contract (checked here, not trusted from JS): key 32 bytes, IV 12 bytes, tag 16 bytes, any AAD
 * and data length that fits an int. A context is used by one thread (the JS main thread); after
 * finish() or close() it refuses further use. close() and the finalizer free the OpenSSL context,
 * which wipes the key schedule.
 */
#define NAPI_VERSION 8
#include <limits.h>
#include <node_api.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdlib.h>

#define KEY_BYTES 32
#define IV_BYTES 12
#define TAG_BYTES 16

/* Marks our contexts, so an external made by anything else is never taken for one. */
static const napi_type_tag CONTEXT_TAG = {0x7a9c2d41e35b4f86ULL, 0x91d0c6a8b2e47f13ULL};

typedef struct {
  EVP_CIPHER_CTX *ctx;
  bool encrypt;
  bool finished;
} gcm_t;

static void gcm_free(gcm_t *g) {
  if (g->ctx != NULL) EVP_CIPHER_CTX_free(g->ctx);
  g->ctx = NULL;
  g->finished = true;
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  gcm_free((gcm_t *)data);
  free(data);
}

static napi_value fail(napi_env env, const char *code, const char *message) {
  napi_throw_error(env, code, message);
  return NULL;
}

/* A Buffer or other Uint8Array argument (Buffer is a Uint8Array); anything else is refused. */
static bool bytes_arg(napi_env env, napi_value value, unsigned char **data, size_t *length) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return false;
  napi_typedarray_type type;
  void *base = NULL;
  if (napi_get_typedarray_info(env, value, &type, length, &base, NULL, NULL) != napi_ok || type != napi_uint8_array) return false;
  *data = (unsigned char *)base;
  return *length == 0 || base != NULL;
}

static gcm_t *context_arg(napi_env env, napi_value value) {
  napi_valuetype type;
  void *data = NULL;
  bool tagged = false;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_external) return NULL;
  if (napi_check_object_type_tag(env, value, &CONTEXT_TAG, &tagged) != napi_ok || !tagged) return NULL;
  if (napi_get_value_external(env, value, &data) != napi_ok) return NULL;
  return (gcm_t *)data;
}

/* Both directions: the tag is given for decryption (checked by finish), produced by seal for encryption. */
static napi_value open_context(napi_env env, napi_callback_info info, bool encrypt) {
  size_t expected = encrypt ? 3 : 4, argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != expected) {
    return fail(env, "ERR_TZ_GCM_ARGS", encrypt ? "openCipher(key, iv, aad)" : "openDecipher(key, iv, aad, tag)");
  }
  unsigned char *key, *iv, *aad, *tag = NULL;
  size_t key_len, iv_len, aad_len, tag_len;
  if (!bytes_arg(env, argv[0], &key, &key_len) || key_len != KEY_BYTES) return fail(env, "ERR_TZ_GCM_ARGS", "key must be 32 bytes");
  if (!bytes_arg(env, argv[1], &iv, &iv_len) || iv_len != IV_BYTES) return fail(env, "ERR_TZ_GCM_ARGS", "iv must be 12 bytes");
  if (!bytes_arg(env, argv[2], &aad, &aad_len) || aad_len > INT_MAX) return fail(env, "ERR_TZ_GCM_ARGS", "aad must be bytes");
  if (!encrypt && (!bytes_arg(env, argv[3], &tag, &tag_len) || tag_len != TAG_BYTES)) return fail(env, "ERR_TZ_GCM_ARGS", "tag must be 16 bytes");

  gcm_t *g = calloc(1, sizeof(gcm_t));
  if (g == NULL) return fail(env, "ERR_TZ_GCM_MEMORY", "out of memory");
  g->encrypt = encrypt;
  g->ctx = EVP_CIPHER_CTX_new();
  int unused = 0;
  bool ok = g->ctx != NULL
    && EVP_CipherInit_ex(g->ctx, EVP_aes_256_gcm(), NULL, NULL, NULL, encrypt) == 1
    && EVP_CIPHER_CTX_ctrl(g->ctx, EVP_CTRL_GCM_SET_IVLEN, IV_BYTES, NULL) == 1
    && EVP_CipherInit_ex(g->ctx, NULL, NULL, key, iv, encrypt) == 1
    && (encrypt || EVP_CIPHER_CTX_ctrl(g->ctx, EVP_CTRL_GCM_SET_TAG, TAG_BYTES, tag) == 1)
    && (aad_len == 0 || EVP_CipherUpdate(g->ctx, NULL, &unused, aad, (int)aad_len) == 1);
  napi_value result;
  if (!ok || napi_create_external(env, g, finalize, NULL, &result) != napi_ok) {
    gcm_free(g);
    free(g);
    return fail(env, "ERR_TZ_GCM_INIT", "AES-256-GCM context could not be initialised");
  }
  /* From here the finalizer owns g (freed when the context is garbage collected). */
  if (napi_type_tag_object(env, result, &CONTEXT_TAG) != napi_ok) {
    gcm_free(g); /* the finalizer still frees the struct */
    return fail(env, "ERR_TZ_GCM_INIT", "AES-256-GCM context could not be tagged");
  }
  return result;
}

static napi_value open_decipher(napi_env env, napi_callback_info info) { return open_context(env, info, false); }
static napi_value open_cipher(napi_env env, napi_callback_info info) { return open_context(env, info, true); }

static gcm_t *live_context(napi_env env, napi_value value, bool encrypt) {
  gcm_t *g = context_arg(env, value);
  if (g == NULL || g->finished || g->ctx == NULL) {
    fail(env, "ERR_TZ_GCM_STATE", "context is closed or finished");
    return NULL;
  }
  if (g->encrypt != encrypt) {
    fail(env, "ERR_TZ_GCM_STATE", encrypt ? "not an encryption context" : "not a decryption context");
    return NULL;
  }
  return g;
}

/*
 * update(context, data[, out]): processes data in place, or into out (same length, not overlapping
 * data: OpenSSL allows exactly in == out and nothing in between).
 */
static napi_value update(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 || argc > 3) return fail(env, "ERR_TZ_GCM_ARGS", "update(context, data[, out])");
  gcm_t *g = context_arg(env, argv[0]);
  if (g == NULL || g->finished || g->ctx == NULL) return fail(env, "ERR_TZ_GCM_STATE", "context is closed or finished");
  unsigned char *data, *out;
  size_t len, out_len;
  if (!bytes_arg(env, argv[1], &data, &len) || len > INT_MAX) return fail(env, "ERR_TZ_GCM_ARGS", "data must be bytes (at most 2 GiB per call)");
  out = data;
  if (argc == 3) {
    if (!bytes_arg(env, argv[2], &out, &out_len) || out_len != len) return fail(env, "ERR_TZ_GCM_ARGS", "out must be bytes of the same length as data");
    if (out != data && out < data + len && data < out + len) return fail(env, "ERR_TZ_GCM_ARGS", "out overlaps data");
  }
  if (len == 0) return NULL;
  int written = 0;
  if (EVP_CipherUpdate(g->ctx, out, &written, data, (int)len) != 1 || (size_t)written != len) {
    gcm_free(g);
    return fail(env, "ERR_TZ_GCM_UPDATE", "AES-256-GCM update failed");
  }
  return NULL;
}

/* The one argument of finish, seal and close; false (with the exception pending) otherwise. */
static bool single_arg(napi_env env, napi_callback_info info, const char *usage, napi_value *arg) {
  size_t argc = 1;
  if (napi_get_cb_info(env, info, &argc, arg, NULL, NULL) == napi_ok && argc == 1) return true;
  fail(env, "ERR_TZ_GCM_ARGS", usage);
  return false;
}

/* finish(decryption context) → true when the tag verified; the context is freed either way. */
static napi_value finish(napi_env env, napi_callback_info info) {
  napi_value arg;
  if (!single_arg(env, info, "finish(context)", &arg)) return NULL;
  gcm_t *g = live_context(env, arg, false);
  if (g == NULL) return NULL;
  unsigned char tail[16];
  int written = 0;
  bool authentic = EVP_DecryptFinal_ex(g->ctx, tail, &written) == 1 && written == 0;
  gcm_free(g);
  napi_value result;
  napi_get_boolean(env, authentic, &result);
  return result;
}

/* seal(encryption context) → the 16-byte tag; the context is freed either way. */
static napi_value seal(napi_env env, napi_callback_info info) {
  napi_value arg;
  if (!single_arg(env, info, "seal(context)", &arg)) return NULL;
  gcm_t *g = live_context(env, arg, true);
  if (g == NULL) return NULL;
  unsigned char tail[16], tag[TAG_BYTES];
  int written = 0;
  bool ok = EVP_EncryptFinal_ex(g->ctx, tail, &written) == 1 && written == 0
    && EVP_CIPHER_CTX_ctrl(g->ctx, EVP_CTRL_GCM_GET_TAG, TAG_BYTES, tag) == 1;
  gcm_free(g);
  napi_value result;
  if (!ok || napi_create_buffer_copy(env, TAG_BYTES, tag, NULL, &result) != napi_ok) return fail(env, "ERR_TZ_GCM_UPDATE", "AES-256-GCM tag could not be produced");
  return result;
}

/* close(context): frees it now (idempotent), e.g. when a read failed half way. */
static napi_value close_context(napi_env env, napi_callback_info info) {
  napi_value arg;
  if (!single_arg(env, info, "close(context)", &arg)) return NULL;
  gcm_t *g = context_arg(env, arg);
  if (g == NULL) return fail(env, "ERR_TZ_GCM_ARGS", "not a context");
  gcm_free(g);
  return NULL;
}

static bool export_fn(napi_env env, napi_value exports, const char *name, napi_callback fn) {
  napi_value value;
  return napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, NULL, &value) == napi_ok
    && napi_set_named_property(env, exports, name, value) == napi_ok;
}

NAPI_MODULE_INIT() {
  if (!export_fn(env, exports, "openDecipher", open_decipher) || !export_fn(env, exports, "openCipher", open_cipher)
      || !export_fn(env, exports, "update", update) || !export_fn(env, exports, "finish", finish)
      || !export_fn(env, exports, "seal", seal) || !export_fn(env, exports, "close", close_context)) return NULL;
  return exports;
}
