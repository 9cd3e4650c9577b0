// Node-API addon of @trientropy/backend-native: the hot kernels of the `native` tfjs backend, on float32
// arrays owned by JavaScript (tfjs's cpu data store), written in place without copies.
//
// Matrix products go to the system BLAS (cblas_sgemm: OpenBLAS on Linux, Accelerate on macOS); element-wise
// kernels, reductions, transposes, row gathers and the fused Adam update are plain loops. Every function
// rounds each intermediate to float32 exactly as tfjs's cpu kernels do (each of those computes one op in double
// and stores a float32, which equals the float32 operation for + − × ÷ √), which is why this file must be
// compiled with -ffp-contract=off: a fused multiply-add would skip a rounding and break bit-equality.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <node_api.h>

#ifdef __APPLE__
#include <Accelerate/Accelerate.h>
#define TRIENTROPY_BLAS_NAME "Accelerate"
#else
#include <cblas.h>
#define TRIENTROPY_BLAS_NAME "OpenBLAS"
#endif

#ifdef _OPENMP
#include <omp.h>
#endif

#define MAX_RANK 8

// ---------------------------------------------------------------------------------------------------------
// Threads for the element-wise loops. setThreads sets both BLAS's threads and these; the big element-wise loops
// (Adam, the squared error, a dense layer's delta and bias gradient, matMul's bias/activation pass, contiguous
// binary and unary ops) split their range into one contiguous piece per thread when each piece has at least
// PARALLEL_MIN_WORK elements: below that, waking a thread costs more than it saves. Built without OpenMP (a
// compiler without -fopenmp), everything runs on the calling thread. Each element is computed exactly as on one
// thread, and every reduction keeps its sequential order, so results do not depend on the thread count.

#define PARALLEL_MIN_WORK 32768

static int element_threads = 1;

typedef void (*range_fn)(void* context, int64_t begin, int64_t end);

/** fn(context, begin, end) over [0, total) in contiguous pieces, one per thread; `work` elements per index. */
static void parallel_range(int64_t total, int64_t work, range_fn fn, void* context) {
#ifdef _OPENMP
  int64_t threads = element_threads;
  if (threads > 1 && total * work >= 2 * PARALLEL_MIN_WORK) {
    if (threads > total) threads = total;
#pragma omp parallel num_threads((int)threads)
    {
      const int64_t id = omp_get_thread_num(), count = omp_get_num_threads();
      fn(context, total * id / count, total * (id + 1) / count);
    }
    return;
  }
#else
  (void)work;
#endif
  fn(context, 0, total);
}

// ---------------------------------------------------------------------------------------------------------
// Argument helpers. A failed check throws a JS TypeError/RangeError and the function returns NULL.

#define CHECK_NAPI(call)                                                                  \
  do {                                                                                    \
    if ((call) != napi_ok) {                                                              \
      napi_throw_error(env, NULL, "trientropy native: Node-API call failed: " #call);    \
      return NULL;                                                                        \
    }                                                                                     \
  } while (0)

#define GET_ARGS(n)                                                                       \
  size_t argc = (n);                                                                      \
  napi_value argv[(n) > 0 ? (n) : 1];                                                     \
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));                       \
  if (argc < (size_t)(n)) {                                                               \
    napi_throw_type_error(env, NULL, "trientropy native: expected " #n " arguments");   \
    return NULL;                                                                          \
  }

static int get_f32(napi_env env, napi_value value, float** data, size_t* length, const char* name) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) {
    char message[160];
    snprintf(message, sizeof message, "trientropy native: %s: expected a Float32Array", name);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  napi_typedarray_type type;
  void* raw = NULL;
  size_t len = 0;
  napi_get_typedarray_info(env, value, &type, &len, &raw, NULL, NULL);
  if (type != napi_float32_array) {
    char message[160];
    snprintf(message, sizeof message, "trientropy native: %s: expected a Float32Array", name);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  *data = (float*)raw;
  *length = len;
  return 1;
}

static int get_i32_array(napi_env env, napi_value value, int32_t** data, size_t* length, const char* name) {
  bool is_typed = false;
  napi_typedarray_type type;
  void* raw = NULL;
  size_t len = 0;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, value, &type, &len, &raw, NULL, NULL) != napi_ok || type != napi_int32_array) {
    char message[160];
    snprintf(message, sizeof message, "trientropy native: %s: expected an Int32Array", name);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  *data = (int32_t*)raw;
  *length = len;
  return 1;
}

static int get_i64(napi_env env, napi_value value, int64_t* out, const char* name) {
  if (napi_get_value_int64(env, value, out) != napi_ok) {
    char message[160];
    snprintf(message, sizeof message, "trientropy native: %s: expected a number", name);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  return 1;
}

static int get_f64(napi_env env, napi_value value, double* out, const char* name) {
  if (napi_get_value_double(env, value, out) != napi_ok) {
    char message[160];
    snprintf(message, sizeof message, "trientropy native: %s: expected a number", name);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  return 1;
}

static int get_bool(napi_env env, napi_value value, bool* out, const char* name) {
  if (napi_get_value_bool(env, value, out) != napi_ok) {
    char message[160];
    snprintf(message, sizeof message, "trientropy native: %s: expected a boolean", name);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  return 1;
}

static napi_value range_error(napi_env env, const char* message) {
  napi_throw_range_error(env, NULL, message);
  return NULL;
}

static napi_value undefined_value(napi_env env) {
  napi_value result;
  napi_get_undefined(env, &result);
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Activations shared by the fused matmul epilogue and the unary kernels. Codes match src/addon.ts.

enum { ACT_LINEAR = 0, ACT_RELU = 1, ACT_RELU6 = 2, ACT_LEAKY_RELU = 3, ACT_SIGMOID = 4, ACT_ELU = 5 };

static void apply_activation(float* x, size_t n, int activation, float alpha) {
  switch (activation) {
    case ACT_LINEAR:
      return;
    case ACT_RELU:
      for (size_t i = 0; i < n; i++) x[i] = x[i] < 0.0f ? 0.0f : x[i];
      return;
    case ACT_RELU6:
      for (size_t i = 0; i < n; i++) x[i] = x[i] < 0.0f ? 0.0f : (x[i] > 6.0f ? 6.0f : x[i]);
      return;
    case ACT_LEAKY_RELU:
      for (size_t i = 0; i < n; i++) x[i] = x[i] < 0.0f ? (float)((double)alpha * x[i]) : x[i];
      return;
    case ACT_SIGMOID:
      for (size_t i = 0; i < n; i++) x[i] = (float)(1.0 / (1.0 + exp(-(double)x[i])));
      return;
    case ACT_ELU:
      for (size_t i = 0; i < n; i++) x[i] = x[i] >= 0.0f ? x[i] : (float)(exp((double)x[i]) - 1.0);
      return;
  }
}

// Bias and activation row by row: one pass over the product while each row is still in cache.
struct epilogue_context {
  float* c;
  int64_t n;
  const float* bias;
  size_t lbias;
  int activation;
  float alpha;
};

static void epilogue_rows(void* raw, int64_t begin, int64_t end) {
  const struct epilogue_context* e = raw;
  const int64_t n = e->n;
  const float* bias = e->bias;
  for (int64_t r = begin; r < end; r++) {
    float* row = e->c + r * n;
    if (bias != NULL && e->lbias == 1) {
      const float b0 = bias[0];
      for (int64_t j = 0; j < n; j++) row[j] = row[j] + b0;
    } else if (bias != NULL) {
      if (e->activation == ACT_RELU) {
        for (int64_t j = 0; j < n; j++) {
          const float v = row[j] + bias[j];
          row[j] = v < 0.0f ? 0.0f : v;
        }
        continue;
      }
      for (int64_t j = 0; j < n; j++) row[j] = row[j] + bias[j];
    }
    apply_activation(row, (size_t)n, e->activation, e->alpha);
  }
}

// ---------------------------------------------------------------------------------------------------------
// matMul(a, b, out, batch, batchA, batchB, m, n, k, transposeA, transposeB, bias|null, activation, alpha)
// out[i] = act(op(a[i % batchA]) · op(b[i % batchB]) + bias), bias of length n (per column) or 1, or null. The bias is
// the product's starting value (sgemm with beta = 1), so it is added before the product's partial sums, not after
// them: the same value to float32 rounding, not bit for bit the cpu backend's order.

static napi_value mat_mul(napi_env env, napi_callback_info info) {
  GET_ARGS(14);
  float *a, *b, *out, *bias = NULL;
  size_t la, lb, lout, lbias = 0;
  int64_t batch, batch_a, batch_b, m, n, k, activation;
  bool trans_a, trans_b;
  double alpha;
  if (!get_f32(env, argv[0], &a, &la, "a") || !get_f32(env, argv[1], &b, &lb, "b") || !get_f32(env, argv[2], &out, &lout, "out") ||
      !get_i64(env, argv[3], &batch, "batch") || !get_i64(env, argv[4], &batch_a, "batchA") || !get_i64(env, argv[5], &batch_b, "batchB") ||
      !get_i64(env, argv[6], &m, "m") || !get_i64(env, argv[7], &n, "n") || !get_i64(env, argv[8], &k, "k") ||
      !get_bool(env, argv[9], &trans_a, "transposeA") || !get_bool(env, argv[10], &trans_b, "transposeB") ||
      !get_i64(env, argv[12], &activation, "activation") || !get_f64(env, argv[13], &alpha, "alpha"))
    return NULL;
  napi_valuetype bias_type;
  napi_typeof(env, argv[11], &bias_type);
  if (bias_type != napi_null && bias_type != napi_undefined && !get_f32(env, argv[11], &bias, &lbias, "bias")) return NULL;
  if (batch < 1 || batch_a < 1 || batch_b < 1 || m < 0 || n < 0 || k < 0) return range_error(env, "trientropy native: matMul: bad sizes");
  if ((size_t)(batch_a * m * k) != la || (size_t)(batch_b * k * n) != lb || (size_t)(batch * m * n) != lout)
    return range_error(env, "trientropy native: matMul: array lengths do not match the sizes");
  if (bias != NULL && lbias != (size_t)n && lbias != 1) return range_error(env, "trientropy native: matMul: bias must have n or 1 values");
  const int lda = trans_a ? (int)m : (int)k;
  const int ldb = trans_b ? (int)k : (int)n;
  for (int64_t i = 0; i < batch; i++) {
    const float* ai = a + (i % batch_a) * m * k;
    const float* bi = b + (i % batch_b) * k * n;
    float* ci = out + i * m * n;
    if (m == 0 || n == 0) continue;
    if (k == 0) {
      memset(ci, 0, sizeof(float) * (size_t)(m * n));
    } else if (bias != NULL) {
      // The bias goes in as the product's initial value (beta = 1): sgemm with beta = 0 would first zero the
      // output in a pass of its own and the bias then take another; this way a linear layer's output is
      // written once by the fill and once by the product, and only an activation needs a pass after it.
      for (int64_t r = 0; r < m; r++) {
        float* row = ci + r * n;
        if (lbias == 1) {
          for (int64_t j = 0; j < n; j++) row[j] = bias[0];
        } else {
          memcpy(row, bias, sizeof(float) * (size_t)n);
        }
      }
      cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k, 1.0f, ai, lda, bi,
                  ldb, 1.0f, ci, (int)n);
    } else {
      cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k, 1.0f, ai, lda, bi,
                  ldb, 0.0f, ci, (int)n);
    }
    const float* epilogue_bias = k == 0 ? bias : NULL;  // otherwise already in the product
    if (epilogue_bias == NULL && activation == ACT_LINEAR) continue;
    struct epilogue_context context = {ci, n, epilogue_bias, lbias, (int)activation, (float)alpha};
    parallel_range(m, n, epilogue_rows, &context);
  }
  return undefined_value(env);
}

// ---------------------------------------------------------------------------------------------------------
// Broadcasting binary ops: binary(op, a, b, out, outShape, aStrides, bStrides). Strides are in elements,
// 0 along broadcast dimensions; the caller merges dimensions so that the rank is small.

enum { BIN_ADD = 0, BIN_SUB = 1, BIN_MUL = 2, BIN_DIV = 3, BIN_MAX = 4, BIN_MIN = 5, BIN_SQDIFF = 6 };

// The inner loop comes in the three stride patterns that occur (both contiguous, one side a broadcast
// scalar along the row) plus the general one, so that the compiler vectorises the common cases.
#define BINARY_INNER(EXPR)                                                              \
  if (sa == 1 && sb == 1) {                                                             \
    for (int64_t j = 0; j < inner; j++) { const float x = pa[j], y = pb[j]; po[j] = (EXPR); } \
  } else if (sa == 1 && sb == 0) {                                                      \
    const float y = pb[0];                                                              \
    for (int64_t j = 0; j < inner; j++) { const float x = pa[j]; po[j] = (EXPR); }      \
  } else if (sa == 0 && sb == 1) {                                                      \
    const float x = pa[0];                                                              \
    for (int64_t j = 0; j < inner; j++) { const float y = pb[j]; po[j] = (EXPR); }      \
  } else {                                                                              \
    for (int64_t j = 0; j < inner; j++) { const float x = pa[j * sa], y = pb[j * sb]; po[j] = (EXPR); } \
  }

static void binary_inner(int op, const float* restrict pa, int64_t sa, const float* restrict pb, int64_t sb, float* restrict po, int64_t inner) {
  switch (op) {
    case BIN_ADD: BINARY_INNER(x + y); break;
    case BIN_SUB: BINARY_INNER(x - y); break;
    case BIN_MUL: BINARY_INNER(x * y); break;
    case BIN_DIV: BINARY_INNER(x / y); break;
    // tfjs's cpu Maximum/Minimum propagate NaN from either side (Math.max), as written here.
    case BIN_MAX: BINARY_INNER((isnan(x) || isnan(y)) ? NAN : (x > y ? x : y)); break;
    case BIN_MIN: BINARY_INNER((isnan(x) || isnan(y)) ? NAN : (x < y ? x : y)); break;
    // In double and rounded once, like the cpu kernel's (a − b)·(a − b) on JavaScript numbers.
    case BIN_SQDIFF: BINARY_INNER((float)(((double)x - y) * ((double)x - y))); break;
  }
}

struct binary_context {
  int op;
  const float* a;
  int64_t sa;
  const float* b;
  int64_t sb;
  float* out;
};

static void binary_range(void* raw, int64_t begin, int64_t end) {
  const struct binary_context* c = raw;
  binary_inner(c->op, c->a + begin * c->sa, c->sa, c->b + begin * c->sb, c->sb, c->out + begin, end - begin);
}

static napi_value binary(napi_env env, napi_callback_info info) {
  GET_ARGS(7);
  int64_t op;
  float *a, *b, *out;
  size_t la, lb, lout, rank, rank_a, rank_b;
  int32_t *shape, *stride_a, *stride_b;
  if (!get_i64(env, argv[0], &op, "op") || !get_f32(env, argv[1], &a, &la, "a") || !get_f32(env, argv[2], &b, &lb, "b") ||
      !get_f32(env, argv[3], &out, &lout, "out") || !get_i32_array(env, argv[4], &shape, &rank, "outShape") ||
      !get_i32_array(env, argv[5], &stride_a, &rank_a, "aStrides") || !get_i32_array(env, argv[6], &stride_b, &rank_b, "bStrides"))
    return NULL;
  if (rank < 1 || rank > MAX_RANK || rank_a != rank || rank_b != rank) return range_error(env, "trientropy native: binary: bad rank");
  int64_t total = 1, max_a = 0, max_b = 0;
  for (size_t d = 0; d < rank; d++) {
    total *= shape[d];
    if (shape[d] > 0) {
      max_a += (int64_t)(shape[d] - 1) * stride_a[d];
      max_b += (int64_t)(shape[d] - 1) * stride_b[d];
    }
  }
  if ((size_t)total != lout || (total > 0 && ((size_t)max_a >= la || (size_t)max_b >= lb)))
    return range_error(env, "trientropy native: binary: shapes and strides do not match the arrays");
  if (total == 0) return undefined_value(env);
  const int64_t inner = shape[rank - 1];
  const int64_t sa = stride_a[rank - 1], sb = stride_b[rank - 1];
  if (rank == 1) {
    struct binary_context context = {(int)op, a, sa, b, sb, out};
    parallel_range(total, 1, binary_range, &context);
    return undefined_value(env);
  }
  int64_t index[MAX_RANK] = {0};
  int64_t offset_a = 0, offset_b = 0;
  for (int64_t o = 0; o < total; o += inner) {
    binary_inner((int)op, a + offset_a, sa, b + offset_b, sb, out + o, inner);
    for (int d = (int)rank - 2; d >= 0; d--) {
      index[d]++;
      offset_a += stride_a[d];
      offset_b += stride_b[d];
      if (index[d] < shape[d]) break;
      offset_a -= (int64_t)shape[d] * stride_a[d];
      offset_b -= (int64_t)shape[d] * stride_b[d];
      index[d] = 0;
    }
  }
  return undefined_value(env);
}

// ---------------------------------------------------------------------------------------------------------
// Unary ops: unary(op, x, out, alpha). Transcendentals are evaluated in double and rounded once, like the
// cpu backend's Math.exp/Math.log, so results agree with it to the last bit or nearly.

enum {
  UN_EXP = 0, UN_LOG = 1, UN_SQRT = 2, UN_SQUARE = 3, UN_NEG = 4, UN_RELU = 5, UN_ABS = 6, UN_SIGMOID = 7, UN_TANH = 8,
  UN_LOG1P = 9, UN_RSQRT = 10, UN_RECIPROCAL = 11, UN_STEP = 12, UN_EXPM1 = 13
};

#define UNARY_LOOP(EXPR)                   \
  for (size_t i = 0; i < n; i++) {         \
    const float v = x[i];                  \
    out[i] = (EXPR);                       \
  }

struct unary_context {
  int op;
  const float* x;
  float* out;
  float alpha;
};

static void unary_range(void* raw, int64_t begin, int64_t end) {
  const struct unary_context* c = raw;
  const float* x = c->x + begin;
  float* out = c->out + begin;
  const size_t n = (size_t)(end - begin);
  const float alpha = c->alpha;
  switch (c->op) {
    case UN_EXP: UNARY_LOOP((float)exp((double)v)); break;
    case UN_LOG: UNARY_LOOP((float)log((double)v)); break;
    case UN_SQRT: UNARY_LOOP(sqrtf(v)); break;
    case UN_SQUARE: UNARY_LOOP(v * v); break;
    case UN_NEG: UNARY_LOOP(-v); break;
    case UN_RELU: UNARY_LOOP(v < 0.0f ? 0.0f : v); break;
    case UN_ABS: UNARY_LOOP(fabsf(v)); break;
    case UN_SIGMOID: UNARY_LOOP((float)(1.0 / (1.0 + exp(-(double)v)))); break;
    case UN_TANH: UNARY_LOOP((float)tanh((double)v)); break;
    case UN_LOG1P: UNARY_LOOP((float)log1p((double)v)); break;
    case UN_RSQRT: UNARY_LOOP((float)(1.0 / sqrt((double)v))); break;
    case UN_RECIPROCAL: UNARY_LOOP((float)(1.0 / (double)v)); break;
    // tfjs's Step: NaN stays NaN, x > 0 → 1, otherwise alpha.
    case UN_STEP: UNARY_LOOP(isnan(v) ? NAN : (v > 0.0f ? 1.0f : alpha)); break;
    case UN_EXPM1: UNARY_LOOP((float)expm1((double)v)); break;
  }
}

static napi_value unary(napi_env env, napi_callback_info info) {
  GET_ARGS(4);
  int64_t op;
  float *x, *out;
  size_t n, lout;
  double alpha_d;
  if (!get_i64(env, argv[0], &op, "op") || !get_f32(env, argv[1], &x, &n, "x") || !get_f32(env, argv[2], &out, &lout, "out") ||
      !get_f64(env, argv[3], &alpha_d, "alpha"))
    return NULL;
  if (lout != n) return range_error(env, "trientropy native: unary: x and out differ in length");
  if (op < UN_EXP || op > UN_EXPM1) return range_error(env, "trientropy native: unary: unknown op");
  struct unary_context context = {(int)op, x, out, (float)alpha_d};
  parallel_range((int64_t)n, 1, unary_range, &context);
  return undefined_value(env);
}

// ---------------------------------------------------------------------------------------------------------
// reduce(op, x, out, outer, size, inner): out[o, i] = reduce over r of x[o, r, i]. Sums accumulate in double,
// like the cpu backend's JavaScript loops; a mean sums x/size (float32 quotients), as the cpu backend's Mean does.

enum { RED_SUM = 0, RED_MAX = 1, RED_MIN = 2, RED_MEAN = 3 };

// Σ x[r] in double, in four interleaved partial sums: one running double sum is latency-bound (~4 cycles an
// element: 0.5 ms for a [512, 784] row sum); four lanes vectorise. Double partial sums of float32 values, rounded
// to float32 at the end, equal the cpu backend's sequential double sum except in a tie at the last float32 bit.
static double sum_doubles(const float* x, int64_t size) {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  int64_t r = 0;
  for (; r + 4 <= size; r += 4) {
    s0 += x[r];
    s1 += x[r + 1];
    s2 += x[r + 2];
    s3 += x[r + 3];
  }
  for (; r < size; r++) s0 += x[r];
  return (s0 + s1) + (s2 + s3);
}

/** Σ (x[r] / count) with float32 quotients (the cpu backend's Mean), in the lanes of sum_doubles. */
static double sum_quotients(const float* x, int64_t size, float count) {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  int64_t r = 0;
  for (; r + 4 <= size; r += 4) {
    s0 += x[r] / count;
    s1 += x[r + 1] / count;
    s2 += x[r + 2] / count;
    s3 += x[r + 3] / count;
  }
  for (; r < size; r++) s0 += x[r] / count;
  return (s0 + s1) + (s2 + s3);
}

static napi_value reduce(napi_env env, napi_callback_info info) {
  GET_ARGS(6);
  int64_t op, outer, size, inner;
  float *x, *out;
  size_t lx, lout;
  if (!get_i64(env, argv[0], &op, "op") || !get_f32(env, argv[1], &x, &lx, "x") || !get_f32(env, argv[2], &out, &lout, "out") ||
      !get_i64(env, argv[3], &outer, "outer") || !get_i64(env, argv[4], &size, "size") || !get_i64(env, argv[5], &inner, "inner"))
    return NULL;
  if (outer < 0 || size < 1 || inner < 1 || (size_t)(outer * size * inner) != lx || (size_t)(outer * inner) != lout)
    return range_error(env, "trientropy native: reduce: sizes do not match the arrays");
  if (op == RED_SUM || op == RED_MEAN) {
    double* acc = inner > 1 ? (double*)malloc(sizeof(double) * (size_t)inner) : NULL;
    if (inner > 1 && acc == NULL) return range_error(env, "trientropy native: reduce: out of memory");
    const float count = (float)size;
    for (int64_t o = 0; o < outer; o++) {
      const float* xo = x + o * size * inner;
      if (inner == 1) {
        out[o] = op == RED_MEAN ? (float)sum_quotients(xo, size, count) : (float)sum_doubles(xo, size);
      } else {
        for (int64_t i = 0; i < inner; i++) acc[i] = 0.0;
        for (int64_t r = 0; r < size; r++) {
          const float* row = xo + r * inner;
          if (op == RED_MEAN) for (int64_t i = 0; i < inner; i++) acc[i] += row[i] / count;
          else for (int64_t i = 0; i < inner; i++) acc[i] += row[i];
        }
        float* oo = out + o * inner;
        for (int64_t i = 0; i < inner; i++) oo[i] = (float)acc[i];
      }
    }
    free(acc);
  } else if (op == RED_MAX || op == RED_MIN) {
    const int is_max = op == RED_MAX;
    for (int64_t o = 0; o < outer; o++) {
      const float* xo = x + o * size * inner;
      float* oo = out + o * inner;
      for (int64_t i = 0; i < inner; i++) oo[i] = xo[i];
      for (int64_t r = 1; r < size; r++) {
        const float* row = xo + r * inner;
        for (int64_t i = 0; i < inner; i++) {
          const float v = row[i];
          // The cpu backend's Max/Min: NaN propagates (v > current is false for NaN, so test it explicitly).
          if (isnan(v) || isnan(oo[i])) oo[i] = NAN;
          else if (is_max ? v > oo[i] : v < oo[i]) oo[i] = v;
        }
      }
    }
  } else {
    return range_error(env, "trientropy native: reduce: unknown op");
  }
  return undefined_value(env);
}

// ---------------------------------------------------------------------------------------------------------
// strided(x, offset, out, outShape, inStrides): out in row-major order of outShape, reading x at
// offset + Σ index[d]·inStrides[d]. A transpose is offset 0 with permuted strides; a slice is the offset of its
// first element with x's own strides.

static napi_value strided(napi_env env, napi_callback_info info) {
  GET_ARGS(5);
  float *x, *out;
  size_t lx, lout, rank, rank_s;
  int64_t base;
  int32_t *shape, *strides;
  if (!get_f32(env, argv[0], &x, &lx, "x") || !get_i64(env, argv[1], &base, "offset") || !get_f32(env, argv[2], &out, &lout, "out") ||
      !get_i32_array(env, argv[3], &shape, &rank, "outShape") || !get_i32_array(env, argv[4], &strides, &rank_s, "inStrides"))
    return NULL;
  if (rank < 1 || rank > MAX_RANK || rank_s != rank) return range_error(env, "trientropy native: strided: bad rank");
  int64_t total = 1, last = base;
  for (size_t d = 0; d < rank; d++) {
    if (shape[d] < 0 || strides[d] < 0) return range_error(env, "trientropy native: strided: negative extent or stride");
    total *= shape[d];
    if (shape[d] > 0) last += (int64_t)(shape[d] - 1) * strides[d];
  }
  if ((size_t)total != lout || base < 0 || (total > 0 && (size_t)last >= lx)) return range_error(env, "trientropy native: strided: sizes do not match the arrays");
  if (total == 0) return undefined_value(env);
  const float* src0 = x + base;
  if (rank == 2 && strides[1] != 1 && strides[0] == 1) {
    // A 2-D transpose: both arrays are visited in cache-sized tiles.
    const int64_t rows = shape[0], cols = shape[1], in_cols = strides[1];
    const int64_t tile = 32;
    for (int64_t r0 = 0; r0 < rows; r0 += tile) {
      const int64_t r1 = r0 + tile < rows ? r0 + tile : rows;
      for (int64_t c0 = 0; c0 < cols; c0 += tile) {
        const int64_t c1 = c0 + tile < cols ? c0 + tile : cols;
        for (int64_t r = r0; r < r1; r++)
          for (int64_t c = c0; c < c1; c++) out[r * cols + c] = src0[c * in_cols + r];
      }
    }
    return undefined_value(env);
  }
  const int64_t inner = shape[rank - 1];
  const int64_t s_inner = strides[rank - 1];
  int64_t index[MAX_RANK] = {0};
  int64_t offset = 0;
  for (int64_t o = 0; o < total; o += inner) {
    const float* src = src0 + offset;
    float* dst = out + o;
    if (s_inner == 1) memcpy(dst, src, sizeof(float) * (size_t)inner);
    else for (int64_t j = 0; j < inner; j++) dst[j] = src[j * s_inner];
    for (int d = (int)rank - 2; d >= 0; d--) {
      index[d]++;
      offset += strides[d];
      if (index[d] < shape[d]) break;
      offset -= (int64_t)shape[d] * strides[d];
      index[d] = 0;
    }
  }
  return undefined_value(env);
}

// ---------------------------------------------------------------------------------------------------------
// concat(inputs, out, outer): inputs is an array of Float32Arrays, each [outer, inner_i] in row-major order;
// out is [outer, Σ inner_i], row r of out the rows r of the inputs side by side (tfjs's Concat along an axis,
// with the dimensions before it merged into `outer` and those from it on into each inner_i).

#define MAX_CONCAT_INPUTS 64

static napi_value concat(napi_env env, napi_callback_info info) {
  GET_ARGS(3);
  float* out;
  size_t lout;
  int64_t outer;
  uint32_t count = 0;
  bool is_array = false;
  if (napi_is_array(env, argv[0], &is_array) != napi_ok || !is_array) {
    napi_throw_type_error(env, NULL, "trientropy native: concat: inputs: expected an array of Float32Arrays");
    return NULL;
  }
  CHECK_NAPI(napi_get_array_length(env, argv[0], &count));
  if (!get_f32(env, argv[1], &out, &lout, "out") || !get_i64(env, argv[2], &outer, "outer")) return NULL;
  if (count < 1 || count > MAX_CONCAT_INPUTS || outer < 1) return range_error(env, "trientropy native: concat: 1 to 64 inputs and outer >= 1");
  float* data[MAX_CONCAT_INPUTS];
  size_t inner[MAX_CONCAT_INPUTS];
  size_t row = 0;
  for (uint32_t i = 0; i < count; i++) {
    napi_value element;
    size_t length;
    CHECK_NAPI(napi_get_element(env, argv[0], i, &element));
    if (!get_f32(env, element, &data[i], &length, "inputs[i]")) return NULL;
    if (length % (size_t)outer != 0) return range_error(env, "trientropy native: concat: an input's length is not a multiple of outer");
    inner[i] = length / (size_t)outer;
    row += inner[i];
  }
  if (row * (size_t)outer != lout) return range_error(env, "trientropy native: concat: out's length is not the inputs' total");
  for (int64_t r = 0; r < outer; r++) {
    float* dst = out + (size_t)r * row;
    for (uint32_t i = 0; i < count; i++) {
      memcpy(dst, data[i] + (size_t)r * inner[i], sizeof(float) * inner[i]);
      dst += inner[i];
    }
  }
  return undefined_value(env);
}

// ---------------------------------------------------------------------------------------------------------
// gatherRows(x, rowSize, indices, out): out[i] = x[indices[i]] (rows of rowSize floats). Throws for an index out
// of range, naming it, as the cpu backend does.

static napi_value gather_rows(napi_env env, napi_callback_info info) {
  GET_ARGS(4);
  float *x, *out;
  size_t lx, lout, count;
  int64_t row_size;
  int32_t* indices;
  if (!get_f32(env, argv[0], &x, &lx, "x") || !get_i64(env, argv[1], &row_size, "rowSize") || !get_i32_array(env, argv[2], &indices, &count, "indices") ||
      !get_f32(env, argv[3], &out, &lout, "out"))
    return NULL;
  if (row_size < 1 || lx % (size_t)row_size != 0 || lout != count * (size_t)row_size) return range_error(env, "trientropy native: gatherRows: sizes do not match");
  const int64_t rows = (int64_t)(lx / (size_t)row_size);
  for (size_t i = 0; i < count; i++) {
    const int64_t r = indices[i];
    if (r < 0 || r >= rows) {
      char message[160];
      snprintf(message, sizeof message, "GatherV2: the index value %lld is not in [0, %lld]", (long long)r, (long long)(rows - 1));
      return range_error(env, message);
    }
    memcpy(out + i * (size_t)row_size, x + r * row_size, sizeof(float) * (size_t)row_size);
  }
  return undefined_value(env);
}

// ---------------------------------------------------------------------------------------------------------
// adam(value, gradient, m, v, outValue, outM, outV, scalars): one Adam step, the same float32 operations in the
// same order as tfjs's AdamOptimizer.applyGradients (outputs may alias inputs: each element is read before it
// is written). scalars (Float32Array, rounded in JS exactly as tfjs rounds them): [beta1, 1 − beta1, beta2,
// 1 − beta2, 1 − beta1^t, 1 − beta2^t, epsilon, −learningRate].

struct adam_context {
  const float *value, *grad, *m, *v;
  float *out_value, *out_m, *out_v;
  const float* s;
};

static void adam_range(void* raw, int64_t begin, int64_t end) {
  const struct adam_context* c = raw;
  const float *value = c->value, *grad = c->grad, *m = c->m, *v = c->v;
  float *out_value = c->out_value, *out_m = c->out_m, *out_v = c->out_v;
  const float beta1 = c->s[0], one_minus_beta1 = c->s[1], beta2 = c->s[2], one_minus_beta2 = c->s[3];
  const float one_minus_acc1 = c->s[4], one_minus_acc2 = c->s[5], epsilon = c->s[6], neg_lr = c->s[7];
  // ivdep: an output is either its own array or exactly the input it replaces (never a shifted overlap), so no
  // iteration depends on another; without it GCC gives up on vectorising (too many runtime alias checks): 2.5×.
#pragma GCC ivdep
  for (int64_t i = begin; i < end; i++) {
    const float g = grad[i];
    const float m1 = m[i] * beta1 + g * one_minus_beta1;
    const float v1 = v[i] * beta2 + (g * g) * one_minus_beta2;
    const float m_hat = m1 / one_minus_acc1;
    const float v_hat = v1 / one_minus_acc2;
    const float updated = (m_hat / (sqrtf(v_hat) + epsilon)) * neg_lr + value[i];
    out_m[i] = m1;
    out_v[i] = v1;
    out_value[i] = updated;
  }
}

static napi_value adam(napi_env env, napi_callback_info info) {
  GET_ARGS(8);
  float *value, *grad, *m, *v, *out_value, *out_m, *out_v, *s;
  size_t n, lg, lm, lv, low, lom, lov, ls;
  if (!get_f32(env, argv[0], &value, &n, "value") || !get_f32(env, argv[1], &grad, &lg, "gradient") || !get_f32(env, argv[2], &m, &lm, "m") ||
      !get_f32(env, argv[3], &v, &lv, "v") || !get_f32(env, argv[4], &out_value, &low, "outValue") || !get_f32(env, argv[5], &out_m, &lom, "outM") ||
      !get_f32(env, argv[6], &out_v, &lov, "outV") || !get_f32(env, argv[7], &s, &ls, "scalars"))
    return NULL;
  if (lg != n || lm != n || lv != n || low != n || lom != n || lov != n || ls != 8) return range_error(env, "trientropy native: adam: sizes do not match");
  struct adam_context context = {value, grad, m, v, out_value, out_m, out_v, s};
  parallel_range((int64_t)n, 1, adam_range, &context);
  return undefined_value(env);
}

// ---------------------------------------------------------------------------------------------------------
// denseGrad(dy, x, w|null, y|null, delta, dx|null, dw, db, n, in, out): the backward pass of a dense layer
// y = act(x·w + b) (act relu when y is given, else linear) in one call, as the kernels it replaces compute it:
// delta = dy·step(y) (tfjs's Step: NaN stays NaN, y > 0 → 1, else 0), dw = xᵀ·delta, db = Σ_rows delta
// (double accumulation in row order, like reduce), dx = delta·wᵀ when dx is given. delta is scratch [n, out]
// for a ReLU layer; a linear one (y null) never writes it and reads dy instead (the caller may pass dy as delta).

/**
 * A ReLU layer's delta and bias gradient in one pass over [rows, cols] (was two: the delta, then its column sums,
 * which read the whole delta again): delta[r, j] = dy[r, j]·step(y[r, j]) (tfjs's Step: NaN stays NaN, y > 0 → 1,
 * else 0) and db[j] = Σ_r delta[r, j] in double, rows in order, for the columns j in [begin, end). Splitting by
 * columns keeps each column's sum sequential, so the result does not depend on the thread count.
 */
struct relu_delta_context {
  const float *dy, *y;
  float* delta;
  double* acc;
  float* db;
  int64_t rows, cols;
};

static void relu_delta_sums(void* raw, int64_t begin, int64_t end) {
  const struct relu_delta_context* c = raw;
  double* restrict acc = c->acc;
  for (int64_t r = 0; r < c->rows; r++) {
    const float* restrict dy = c->dy + r * c->cols;
    const float* restrict y = c->y + r * c->cols;
    float* restrict delta = c->delta + r * c->cols;
    for (int64_t j = begin; j < end; j++) {
      const float v = y[j];
      const float s = isnan(v) ? NAN : (v > 0.0f ? 1.0f : 0.0f);
      const float d = dy[j] * s;
      delta[j] = d;
      acc[j] += d;
    }
  }
  for (int64_t j = begin; j < end; j++) c->db[j] = (float)acc[j];
}

/** db[j] = Σ_r delta[r, j] in double, rows in order, for the columns j in [begin, end) (a linear layer: delta = dy). */
struct column_sum_context {
  const float* delta;
  double* acc;
  float* db;
  int64_t rows, cols;
};

static void column_sums(void* raw, int64_t begin, int64_t end) {
  const struct column_sum_context* c = raw;
  double* acc = c->acc;
  for (int64_t r = 0; r < c->rows; r++) {
    const float* row = c->delta + r * c->cols;
    for (int64_t j = begin; j < end; j++) acc[j] += row[j];
  }
  for (int64_t j = begin; j < end; j++) c->db[j] = (float)acc[j];
}

static napi_value dense_grad(napi_env env, napi_callback_info info) {
  GET_ARGS(11);
  float *dy, *x, *w = NULL, *y = NULL, *delta, *dx = NULL, *dw, *db;
  size_t ldy, lx, lw = 0, ly = 0, ldelta, ldx = 0, ldw, ldb;
  int64_t n, in, out;
  napi_valuetype type;
  if (!get_f32(env, argv[0], &dy, &ldy, "dy") || !get_f32(env, argv[1], &x, &lx, "x") || !get_f32(env, argv[4], &delta, &ldelta, "delta") ||
      !get_f32(env, argv[6], &dw, &ldw, "dw") || !get_f32(env, argv[7], &db, &ldb, "db") || !get_i64(env, argv[8], &n, "n") ||
      !get_i64(env, argv[9], &in, "in") || !get_i64(env, argv[10], &out, "out"))
    return NULL;
  napi_typeof(env, argv[2], &type);
  if (type != napi_null && type != napi_undefined && !get_f32(env, argv[2], &w, &lw, "w")) return NULL;
  napi_typeof(env, argv[3], &type);
  if (type != napi_null && type != napi_undefined && !get_f32(env, argv[3], &y, &ly, "y")) return NULL;
  napi_typeof(env, argv[5], &type);
  if (type != napi_null && type != napi_undefined && !get_f32(env, argv[5], &dx, &ldx, "dx")) return NULL;
  if (n < 1 || in < 1 || out < 1 || ldy != (size_t)(n * out) || lx != (size_t)(n * in) || ldelta != (size_t)(n * out) || ldw != (size_t)(in * out) ||
      ldb != (size_t)out || (y != NULL && ly != (size_t)(n * out)) || (dx != NULL && (w == NULL || ldx != (size_t)(n * in) || lw != (size_t)(in * out))))
    return range_error(env, "trientropy native: denseGrad: sizes do not match the arrays");
  double* acc = (double*)calloc((size_t)out, sizeof(double));
  if (acc == NULL) return range_error(env, "trientropy native: denseGrad: out of memory");
  if (y != NULL) {
    struct relu_delta_context context = {dy, y, delta, acc, db, n, out};
    parallel_range(out, n, relu_delta_sums, &context);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)in, (int)out, (int)n, 1.0f, x, (int)in, delta, (int)out, 0.0f, dw, (int)out);
  } else {
    delta = dy;  // a linear layer's delta is dy itself: read it where it is (nothing below writes delta)
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)in, (int)out, (int)n, 1.0f, x, (int)in, delta, (int)out, 0.0f, dw, (int)out);
    struct column_sum_context sums = {delta, acc, db, n, out};
    parallel_range(out, n, column_sums, &sums);
  }
  free(acc);
  if (dx != NULL) cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)in, (int)out, 1.0f, delta, (int)out, w, (int)out, 0.0f, dx, (int)in);
  return undefined_value(env);
}

// ---------------------------------------------------------------------------------------------------------
// squaredError(x, mu, difference, out, rows, samples, dim): the Gaussian ELBO's R in one pass, as the kernels it
// replaces compute it (Sub, Square, Sum over the last axis, Mean): difference[s, r] = x[r] − mu[s·rows + r]
// (float32), row sums of difference² (float32 squares, double sums rounded to float32), and out[0] = the mean of
// the samples·rows row sums (Σ of float32 quotients rowSum/count, in double). x is [rows, dim], mu and difference
// [samples·rows, dim].

struct squared_error_context {
  const float *x, *mu;
  float *diff, *row_sums;
  int64_t rows, dim;
};

/** Rows k in [begin, end) of the sample-major [S·n, D] difference, and each row's Σ difference² (see below). */
static void squared_error_rows(void* raw, int64_t begin, int64_t end) {
  const struct squared_error_context* c = raw;
  const int64_t dim = c->dim;
  for (int64_t k = begin; k < end; k++) {
    const float* xr = c->x + (k % c->rows) * dim;
    const float* mr = c->mu + k * dim;
    float* dr = c->diff + k * dim;
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    int64_t j = 0;
    for (; j + 4 <= dim; j += 4) {
      const float d0 = xr[j] - mr[j], d1 = xr[j + 1] - mr[j + 1], d2 = xr[j + 2] - mr[j + 2], d3 = xr[j + 3] - mr[j + 3];
      dr[j] = d0;
      dr[j + 1] = d1;
      dr[j + 2] = d2;
      dr[j + 3] = d3;
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (; j < dim; j++) {
      const float d = xr[j] - mr[j];
      dr[j] = d;
      s0 += d * d;
    }
    c->row_sums[k] = (float)((s0 + s1) + (s2 + s3));
  }
}

static napi_value squared_error(napi_env env, napi_callback_info info) {
  GET_ARGS(7);
  float *x, *mu, *diff, *out;
  size_t lx, lmu, ldiff, lout;
  int64_t rows, samples, dim;
  if (!get_f32(env, argv[0], &x, &lx, "x") || !get_f32(env, argv[1], &mu, &lmu, "mu") || !get_f32(env, argv[2], &diff, &ldiff, "difference") ||
      !get_f32(env, argv[3], &out, &lout, "out") || !get_i64(env, argv[4], &rows, "rows") || !get_i64(env, argv[5], &samples, "samples") ||
      !get_i64(env, argv[6], &dim, "dim"))
    return NULL;
  if (rows < 1 || samples < 1 || dim < 1 || lx != (size_t)(rows * dim) || lmu != (size_t)(samples * rows * dim) || ldiff != lmu || lout != 1)
    return range_error(env, "trientropy native: squaredError: sizes do not match the arrays");
  const int64_t total_rows = samples * rows;
  float* row_sums = (float*)malloc(sizeof(float) * (size_t)total_rows);
  if (row_sums == NULL) return range_error(env, "trientropy native: squaredError: out of memory");
  struct squared_error_context context = {x, mu, diff, row_sums, rows, dim};
  parallel_range(total_rows, dim, squared_error_rows, &context);
  const float count = (float)total_rows;
  // The mean's partial sums in the lanes of sum_quotients (row k in lane k % 4, the last count % 4 rows in lane
  // 0), so that the value equals the unfused kernels' bit for bit.
  double lanes[4] = {0.0, 0.0, 0.0, 0.0};
  const int64_t laned = (total_rows / 4) * 4;
  for (int64_t k = 0; k < total_rows; k++) lanes[k < laned ? k % 4 : 0] += row_sums[k] / count;
  free(row_sums);
  out[0] = (float)((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]));
  return undefined_value(env);
}

// ---------------------------------------------------------------------------------------------------------
// gaussianLatent(mean, logVariance, noise, z, kl, scale, expm1, rows, samples, width): the Gaussian latent block of
// the ELBO with the standard prior in one pass, as the kernels it replaces round it (@trientropy/models'
// reparameterize and standardNormalKl): scale = τ = (float)exp((double)(log τ²·½)), z[s, r] = ν + τ·ε (float32
// product and sum), expm1 = (float)expm1((double)log τ²), and kl[0] = mean_r Σ_h ½((expm1 − log τ²) + ν²) with
// float32 terms, each row's Σ as sum_doubles and the mean as sum_quotients (the native Sum and Mean). scale and
// expm1 are kept for the gradient (exp and expm1 are most of this kernel's time). mean, logVariance, scale and
// expm1 are [rows, width], noise and z [samples·rows, width].

static napi_value gaussian_latent(napi_env env, napi_callback_info info) {
  GET_ARGS(10);
  float *m, *lv, *noise, *z, *kl, *scales, *expm1s;
  size_t lm, llv, lnoise, lz, lkl, lscales, lexpm1s;
  int64_t rows, samples, width;
  if (!get_f32(env, argv[0], &m, &lm, "mean") || !get_f32(env, argv[1], &lv, &llv, "logVariance") || !get_f32(env, argv[2], &noise, &lnoise, "noise") ||
      !get_f32(env, argv[3], &z, &lz, "z") || !get_f32(env, argv[4], &kl, &lkl, "kl") || !get_f32(env, argv[5], &scales, &lscales, "scale") ||
      !get_f32(env, argv[6], &expm1s, &lexpm1s, "expm1") || !get_i64(env, argv[7], &rows, "rows") || !get_i64(env, argv[8], &samples, "samples") ||
      !get_i64(env, argv[9], &width, "width"))
    return NULL;
  const size_t cells = (size_t)(rows * width);
  if (rows < 1 || samples < 1 || width < 1 || lm != cells || llv != cells || lnoise != cells * (size_t)samples || lz != lnoise || lkl != 1 ||
      lscales != cells || lexpm1s != cells)
    return range_error(env, "trientropy native: gaussianLatent: sizes do not match the arrays");
  float* row_kl = (float*)malloc(sizeof(float) * (size_t)rows + sizeof(float) * (size_t)width);
  if (row_kl == NULL) return range_error(env, "trientropy native: gaussianLatent: out of memory");
  float* terms = row_kl + rows;
  for (int64_t r = 0; r < rows; r++) {
    const float* mr = m + r * width;
    const float* lr = lv + r * width;
    for (int64_t h = 0; h < width; h++) {
      const float scale = (float)exp((double)(lr[h] * 0.5f));
      scales[r * width + h] = scale;
      for (int64_t s = 0; s < samples; s++) {
        const size_t k = (size_t)((s * rows + r) * width + h);
        const float jitter = scale * noise[k];
        z[k] = mr[h] + jitter;
      }
      const float expm1d = (float)expm1((double)lr[h]);
      expm1s[r * width + h] = expm1d;
      const float gap = expm1d - lr[h];
      const float square = mr[h] * mr[h];
      terms[h] = (gap + square) * 0.5f;
    }
    row_kl[r] = (float)sum_doubles(terms, width);
  }
  kl[0] = (float)sum_quotients(row_kl, rows, (float)rows);
  free(row_kl);
  return undefined_value(env);
}

// gaussianLatentGrad(mean, scale, expm1, noise, dz, dkl, dMean, dLogVariance, rows, samples, width): the gradients
// of gaussianLatent (from the scale and expm1 it returned) as the two ops' gradients and tfjs's accumulation round them: with h = (dkl/rows)·½ (float32),
// dMean = Σ_s dz + h·(2ν) and dLogVariance = ((Σ_s dz·ε)·τ)·½ + h·expm1(log τ²), each product float32 and the sums
// over samples in double (the native Sum over axis 0; one sample: dz itself).

static napi_value gaussian_latent_grad(napi_env env, napi_callback_info info) {
  GET_ARGS(11);
  float *m, *scales, *expm1s, *noise, *dz, *dkl, *dm, *dlv;
  size_t lm, lscales, lexpm1s, lnoise, ldz, ldkl, ldm, ldlv;
  int64_t rows, samples, width;
  if (!get_f32(env, argv[0], &m, &lm, "mean") || !get_f32(env, argv[1], &scales, &lscales, "scale") || !get_f32(env, argv[2], &expm1s, &lexpm1s, "expm1") ||
      !get_f32(env, argv[3], &noise, &lnoise, "noise") || !get_f32(env, argv[4], &dz, &ldz, "dz") || !get_f32(env, argv[5], &dkl, &ldkl, "dkl") ||
      !get_f32(env, argv[6], &dm, &ldm, "dMean") || !get_f32(env, argv[7], &dlv, &ldlv, "dLogVariance") || !get_i64(env, argv[8], &rows, "rows") ||
      !get_i64(env, argv[9], &samples, "samples") || !get_i64(env, argv[10], &width, "width"))
    return NULL;
  const size_t cells = (size_t)(rows * width);
  if (rows < 1 || samples < 1 || width < 1 || lm != cells || lscales != cells || lexpm1s != cells || lnoise != cells * (size_t)samples || ldz != lnoise || ldkl != 1 ||
      ldm != cells || ldlv != cells)
    return range_error(env, "trientropy native: gaussianLatentGrad: sizes do not match the arrays");
  const float h = (dkl[0] / (float)rows) * 0.5f;
  for (size_t c = 0; c < cells; c++) {
    float dz_sum, dz_noise_sum;
    if (samples == 1) {
      dz_sum = dz[c];
      dz_noise_sum = dz[c] * noise[c];
    } else {
      double a = 0.0, b = 0.0;
      for (int64_t s = 0; s < samples; s++) {
        const size_t k = (size_t)s * cells + c;
        const float product = dz[k] * noise[k];
        a += dz[k];
        b += product;
      }
      dz_sum = (float)a;
      dz_noise_sum = (float)b;
    }
    const float scale = scales[c];
    const float twice_mean = m[c] * 2.0f;
    const float kl_mean = h * twice_mean;
    const float reparam_lv = (dz_noise_sum * scale) * 0.5f;
    const float kl_lv = h * expm1s[c];
    dm[c] = dz_sum + kl_mean;
    dlv[c] = reparam_lv + kl_lv;
  }
  return undefined_value(env);
}

// ---------------------------------------------------------------------------------------------------------
// randomNormal(out, state, mean, stdDev): tfjs-core 4.22's `randomNormal` (its MPRandGauss, not truncated) on its
// `seedrandom.alea` generator, draw for draw: Marsaglia's polar method on pairs of uniforms, every step in double as
// JavaScript computes it (hence -ffp-contract=off), each value rounded once to float32 as a Float32Array store
// rounds it. `state` is alea's seeded state [s0, s1, s2, c] (computed in JavaScript from the seed string, see
// src/random-normal.ts), advanced here. The logarithm is fdlibm's __ieee754_log, the algorithm of V8's Math.log
// (src/base/ieee754.cc), so that the draws are bit-identical to tfjs's JavaScript ones.

static double fdlibm_log(double x) {
  static const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10, two54 = 1.80143985094819840000e+16,
                      Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01, Lg3 = 2.857142874366239149e-01,
                      Lg4 = 2.222219843214978396e-01, Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
                      Lg7 = 1.479819860511658591e-01;
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  int32_t hx = (int32_t)(bits >> 32);
  const uint32_t lx = (uint32_t)bits;
  int32_t k = 0;
  if (hx < 0x00100000) {  // x < 2^-1022: zero, negative or subnormal
    if (((hx & 0x7fffffff) | (int32_t)lx) == 0) return -INFINITY;
    if (hx < 0) return NAN;
    k -= 54;
    x *= two54;
    memcpy(&bits, &x, sizeof bits);
    hx = (int32_t)(bits >> 32);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const int32_t i0 = (hx + 0x95f64) & 0x100000;
  bits = ((uint64_t)(uint32_t)(hx | (i0 ^ 0x3ff00000)) << 32) | (bits & 0xffffffffu);  // x or x/2 into [√2/2, √2)
  memcpy(&x, &bits, sizeof bits);
  k += i0 >> 20;
  const double f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {  // −2^-20 ≤ f < 2^-20
    if (f == 0.0) {
      if (k == 0) return 0.0;
      const double dk = (double)k;
      return dk * ln2_hi + dk * ln2_lo;
    }
    const double r = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - r;
    const double dk = (double)k;
    return dk * ln2_hi - ((r - dk * ln2_lo) - f);
  }
  const double s = f / (2.0 + f);
  const double dk = (double)k;
  const double z = s * s;
  int32_t i = hx - 0x6147a;
  const double w = z * z;
  const int32_t j = 0x6b851 - hx;
  const double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  i |= j;
  const double r = t2 + t1;
  if (i > 0) {
    const double hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + r));
    return dk * ln2_hi - ((hfsq - (s * (hfsq + r) + dk * ln2_lo)) - f);
  }
  if (k == 0) return f - s * (f - r);
  return dk * ln2_hi - ((s * (f - r) - dk * ln2_lo) - f);
}

/** seedrandom's alea `next()`: state [s0, s1, s2, c]. */
static inline double alea_next(double* state) {
  const double t = 2091639.0 * state[0] + state[3] * 2.3283064365386963e-10;
  state[0] = state[1];
  state[1] = state[2];
  state[3] = (double)(int32_t)t;  // JavaScript's t | 0 (0 ≤ t < 2^31)
  state[2] = t - state[3];
  return state[2];
}

static napi_value random_normal(napi_env env, napi_callback_info info) {
  GET_ARGS(4);
  float* out;
  size_t n;
  double mean, std_dev;
  void* raw;
  size_t state_length;
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (!get_f32(env, argv[0], &out, &n, "out") || !get_f64(env, argv[2], &mean, "mean") || !get_f64(env, argv[3], &std_dev, "stdDev")) return NULL;
  bool is_typed = false;
  napi_is_typedarray(env, argv[1], &is_typed);
  if (!is_typed) return range_error(env, "trientropy native: randomNormal: state must be a Float64Array of 4");
  CHECK_NAPI(napi_get_typedarray_info(env, argv[1], &type, &state_length, &raw, &buffer, &offset));
  if (type != napi_float64_array || state_length != 4) return range_error(env, "trientropy native: randomNormal: state must be a Float64Array of 4");
  double* state = raw;
  size_t i = 0;
  while (i < n) {
    double v1, v2, s;
    do {
      v1 = 2.0 * alea_next(state) - 1.0;
      v2 = 2.0 * alea_next(state) - 1.0;
      s = v1 * v1 + v2 * v2;
    } while (s >= 1.0 || s == 0.0);
    const double mul = sqrt(-2.0 * fdlibm_log(s) / s);
    out[i++] = (float)(mean + std_dev * v1 * mul);
    if (i < n) out[i++] = (float)(mean + std_dev * v2 * mul);
  }
  return undefined_value(env);
}

// ---------------------------------------------------------------------------------------------------------
// Threads and build facts.

#ifdef __APPLE__
static void blas_set_threads(int n) { (void)n; }
static int blas_get_threads(void) { return -1; }
static const char* blas_config(void) { return "Accelerate (threads set by VECLIB_MAXIMUM_THREADS before load)"; }
#else
static void blas_set_threads(int n) { openblas_set_num_threads(n); }
static int blas_get_threads(void) { return openblas_get_num_threads(); }
static const char* blas_config(void) { return openblas_get_config(); }
#endif

static napi_value set_threads(napi_env env, napi_callback_info info) {
  GET_ARGS(1);
  int64_t n;
  if (!get_i64(env, argv[0], &n, "threads")) return NULL;
  if (n < 1 || n > 1024) return range_error(env, "trientropy native: setThreads: expected 1..1024");
  blas_set_threads((int)n);
  element_threads = (int)n;
  return undefined_value(env);
}

static napi_value get_threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  CHECK_NAPI(napi_create_int32(env, blas_get_threads(), &result));
  return result;
}

static napi_value get_blas_config(napi_env env, napi_callback_info info) {
  (void)info;
  char text[512];
  snprintf(text, sizeof text, "%s: %s", TRIENTROPY_BLAS_NAME, blas_config());
  napi_value result;
  CHECK_NAPI(napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &result));
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  const napi_property_descriptor functions[] = {
    {"matMul", NULL, mat_mul, NULL, NULL, NULL, napi_default, NULL},
    {"binary", NULL, binary, NULL, NULL, NULL, napi_default, NULL},
    {"unary", NULL, unary, NULL, NULL, NULL, napi_default, NULL},
    {"reduce", NULL, reduce, NULL, NULL, NULL, napi_default, NULL},
    {"strided", NULL, strided, NULL, NULL, NULL, napi_default, NULL},
    {"concat", NULL, concat, NULL, NULL, NULL, napi_default, NULL},
    {"gatherRows", NULL, gather_rows, NULL, NULL, NULL, napi_default, NULL},
    {"adam", NULL, adam, NULL, NULL, NULL, napi_default, NULL},
    {"denseGrad", NULL, dense_grad, NULL, NULL, NULL, napi_default, NULL},
    {"randomNormal", NULL, random_normal, NULL, NULL, NULL, napi_default, NULL},
    {"squaredError", NULL, squared_error, NULL, NULL, NULL, napi_default, NULL},
    {"gaussianLatent", NULL, gaussian_latent, NULL, NULL, NULL, napi_default, NULL},
    {"gaussianLatentGrad", NULL, gaussian_latent_grad, NULL, NULL, NULL, napi_default, NULL},
    {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
    {"getThreads", NULL, get_threads, NULL, NULL, NULL, napi_default, NULL},
    {"blasConfig", NULL, get_blas_config, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
