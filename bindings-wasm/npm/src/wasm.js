// The boundary with the wasm module: every call into it goes through
// `guard`, which turns what the module throws into `LeanError`s.
//
// Errors come out as the core's error JSON (a string). A Rust panic aborts
// the wasm call with a `WebAssembly.RuntimeError`; the module's panic hook
// has left the panic as an `internal` error JSON and scheduled a fresh
// instance, so the caller gets a catchable `LeanError` (code `internal`)
// and the next call works. Objects that live in wasm memory (clients,
// verifiers) compare `generation()` to know when to rebuild themselves.

import { LeanError, fromCore } from './errors.js';

const PANIC_KEY = Symbol.for('lean-sdk.panic');
let glue = null;
let instances = 0;

/** Called once by each entry point after instantiating the module. */
export function install(bindings) {
  glue = bindings;
}

/** The wasm-bindgen exports. */
export function wasm() {
  if (glue === null) throw new LeanError('the lean-sdk wasm module is not loaded', { code: 'internal' });
  return glue;
}

/** Bumped each time the instance is replaced after a trap. */
export function generation() {
  return instances;
}

/** Runs `fn`, translating whatever the module throws. */
export function guard(fn) {
  try {
    return fn();
  } catch (thrown) {
    throw translate(thrown);
  }
}

/**
 * The error to throw for what the module threw, or for an error JSON it
 * returned (the fast paths that report failure by status).
 */
export function translate(thrown) {
  if (typeof thrown === 'string') {
    try {
      return fromCore(JSON.parse(thrown));
    } catch {
      return new LeanError(`internal error in lean-sdk (please report it): ${thrown}`);
    }
  }
  if (thrown instanceof WebAssembly.RuntimeError) {
    instances += 1;
    const recorded = globalThis[PANIC_KEY];
    delete globalThis[PANIC_KEY];
    try {
      // A trap that was not a panic (out of memory, stack overflow) leaves
      // an instance that cannot be trusted either: ask for a fresh one too.
      if (typeof recorded !== 'string') glue.scheduleReinit();
      // Swap the instance now, before the next call copies its arguments
      // into the old instance's memory.
      glue.reinitNow();
    } catch {
      // The instance is beyond use; the next call reports it.
    }
    if (typeof recorded === 'string') return fromCore(JSON.parse(recorded), thrown);
    return new LeanError(`internal error in lean-sdk (please report it): ${thrown.message}`, { cause: thrown });
  }
  return thrown;
}

/**
 * A wasm-bindgen object (a client, a verifier) that outlives the instance
 * it was made in: `get()` makes it again with `make` after a trap replaced
 * the instance, from the arguments its owner kept.
 */
export class Remade {
  #make;
  #value = null;
  #generation = -1;

  constructor(make) {
    this.#make = make;
    this.get();
  }

  get() {
    if (this.#generation !== generation()) {
      this.#value = guard(this.#make);
      this.#generation = generation();
    }
    return this.#value;
  }
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Makes instances of `cls`, which hold secrets, print as their own
 * `toString()` everywhere: in JSON and in Node's `util.inspect` too.
 */
export function printedAsString(cls) {
  Object.defineProperties(cls.prototype, {
    toJSON: { value() { return this.toString(); }, writable: true, configurable: true },
    [INSPECT]: { value() { return this.toString(); }, writable: true, configurable: true },
  });
}
