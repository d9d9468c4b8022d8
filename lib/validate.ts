/**
 * Argument validation, done in TypeScript before any system call (see STYLE.md: validate in
 * TypeScript, assert in C++). Errors copy Node's own: a TypeError with code ERR_INVALID_ARG_TYPE for
 * a value of the wrong type, a RangeError with code ERR_OUT_OF_RANGE for a number out of range.
 * @internal
 */

const INT32_MAX = 0x7fffffff;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return `number ${Object.is(value, -0) ? '-0' : String(value)}`;
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'bigint') return `bigint ${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name ? `an instance of ${name}` : 'an object';
  }
  return `type ${typeof value}`;
}

/** A TypeError shaped like Node's ERR_INVALID_ARG_TYPE. */
export function typeError(name: string, expected: string, value: unknown): TypeError {
  const e = new TypeError(`The "${name}" argument must be ${expected}. Received ${describe(value)}`);
  (e as TypeError & { code: string }).code = 'ERR_INVALID_ARG_TYPE';
  return e;
}

/** A RangeError shaped like Node's ERR_OUT_OF_RANGE. */
export function rangeError(name: string, expected: string, value: unknown): RangeError {
  const e = new RangeError(`The value of "${name}" is out of range. It must be ${expected}. Received ${describe(value)}`);
  (e as RangeError & { code: string }).code = 'ERR_OUT_OF_RANGE';
  return e;
}

/** {@link valueError} saying what the value must be: `must be ${expected}`. */
export function invalidValue(name: string, expected: string, value: unknown): TypeError {
  return valueError(name, `must be ${expected}`, value);
}

/** An integer in [min, max]; a non-number is a TypeError, anything else out of range a RangeError. */
export function int(value: unknown, name: string, min = -0x80000000, max = INT32_MAX): number {
  if (typeof value !== 'number') throw typeError(name, 'of type number', value);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw rangeError(name, `an integer >= ${min} and <= ${max}`, value);
  }
  return value;
}

// The helpers below run on every call, so their common case is kept under 27 bytes of bytecode:
// TurboFan inlines functions that small whatever its budget, and the rare cases (errors, other
// kinds of views) are functions of their own.

/**
 * A file descriptor: any 32-bit integer. Negative ones are passed on, so that `close(-1)` gets the
 * kernel's EBADF as it does in C; what is not an integer never reaches the kernel.
 */
export function fd(value: unknown, name?: string): number {
  // An int32 is its own `| 0` (the typeof keeps a BigInt or an object's valueOf away from `|`).
  return typeof value === 'number' && (value | 0) === value ? value : int(value, name ?? 'fd');
}

/** Flags: a non-negative 32-bit integer (a bit mask of the C constants). */
export function flags(value: unknown, name = 'flags'): number {
  if (typeof value === 'number' && (value | 0) === value && value >= 0) return value;
  return int(value, name, 0);
}

/** Any ArrayBufferView: Buffer, a typed array, a DataView. */
export function view(value: unknown, name: string): ArrayBufferView {
  return ArrayBuffer.isView(value) ? value : notView(value, name);
}

function notView(value: unknown, name: string): never {
  throw typeError(name, 'an instance of Buffer, TypedArray or DataView', value);
}

/** A string or an ArrayBufferView; strings are sent as their UTF-8 bytes. */
export function data(value: unknown, name: string): ArrayBufferView {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return view(value, name);
}

// The size of a view is read with the engine's own getters, taken here once, never through the
// view's properties: a view can shadow `length` or `byteLength` (an own getter, a subclass), and
// the fast path of read/write/send/recv (lib/io.ts) trusts this size to prove that the memory it
// bound is still the view's (a detached buffer measures 0). Called through `uncurryThis`, as Node's
// own primordials are; the byteLength getter is a builtin call (~36 instructions, callgrind) where
// `buf.length` compiled inline, the price of not trusting the view.
const uncurryThis = Function.prototype.bind.bind(Function.prototype.call) as <T, R>(fn: (this: T) => R) => (self: T) => R;
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const getter = (proto: object, key: PropertyKey) => Object.getOwnPropertyDescriptor(proto, key)!.get as (this: unknown) => unknown;
const typedArrayTag = uncurryThis(getter(TypedArrayPrototype, Symbol.toStringTag)) as (view: unknown) => string | undefined;
const typedArrayByteLength = uncurryThis(getter(TypedArrayPrototype, 'byteLength')) as (view: unknown) => number;
const dataViewByteLength = uncurryThis(getter(DataView.prototype, 'byteLength')) as (view: unknown) => number;

/**
 * A view's size in bytes, as the engine knows it: 0 once its buffer is detached, the current size
 * of a resizable one, whatever the view's own properties say.
 */
export function byteLength(buf: ArrayBufferView): number {
  // The tag is undefined for a DataView, the only view that is not a typed array.
  return typedArrayTag(buf) === undefined ? dataViewByteLength(buf) : typedArrayByteLength(buf);
}

/** C's length argument: optional, defaulting to the whole buffer, never past its end. */
export function count(buf: ArrayBufferView, value: unknown, name?: string): number {
  return value === undefined ? byteLength(buf) : checkCount(byteLength(buf), value, name ?? 'count');
}

function checkCount(size: number, value: unknown, name: string): number {
  if (typeof value !== 'number') throw typeError(name, 'of type number', value);
  if (!Number.isInteger(value) || value < 0 || value > size) {
    throw rangeError(name, `an integer >= 0 and <= ${size} (the buffer's byteLength)`, value);
  }
  return value;
}

/** The options of a posix-ipc/promises call. */
export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * A promise call's options: `undefined` or an object whose `signal` is `undefined` or an
 * AbortSignal (checked the way Node checks its own: an object with `aborted` and
 * `addEventListener`). Returns the signal.
 */
export function signal(options: unknown): AbortSignal | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) throw typeError('options', 'of type object', options);
  const s = (options as CallOptions).signal;
  if (s === undefined) return undefined;
  if (typeof s !== 'object' || s === null || !('aborted' in s) || typeof (s as AbortSignal).addEventListener !== 'function') {
    throw typeError('options.signal', 'an instance of AbortSignal', s);
  }
  return s;
}

// Strings for paths and argument vectors (fifo, process): C strings end at the first NUL byte,
// so a string holding one would silently name something else.

/** A TypeError shaped like Node's ERR_INVALID_ARG_VALUE (right type, unusable value). */
export function valueError(name: string, reason: string, value: unknown): TypeError {
  const e = new TypeError(`The argument '${name}' ${reason}. Received ${describe(value)}`);
  (e as TypeError & { code: string }).code = 'ERR_INVALID_ARG_VALUE';
  return e;
}

/** A string without NUL bytes (a path, a program name, one argv entry). */
export function cstring(value: unknown, name: string): string {
  if (typeof value !== 'string') throw typeError(name, 'of type string', value);
  if (value.includes('\0')) throw valueError(name, 'must be a string without null bytes', value);
  return value;
}

/** A path: a string without NUL bytes. */
export function path(value: unknown, name = 'path'): string {
  return cstring(value, name);
}

/** An array of strings without NUL bytes (argv). */
export function cstrings(value: unknown, name: string): string[] {
  if (!Array.isArray(value)) throw typeError(name, 'an instance of Array', value);
  for (let i = 0; i < value.length; i++) cstring(value[i], `${name}[${i}]`);
  return value as string[];
}
