// What a call did, for the caller's logging: the core's events handed to a
// console-like logger, and the attempt list on every result. Both clients
// read their `logger` option here. Each bundle carries its own copy.
//
// The events are the core's own (`Event::to_json()`): their names, levels,
// messages and fields are declared there, once for every host, and hold no
// credential, token, secret or body. This module only routes each to the
// logger method of its level.

import { configuration } from './options.js';

/**
 * The `LEAN_LOG` environment variable (`debug` or `info`), where there is
 * an environment to read: Node has `process.env`; browsers and edge
 * runtimes have no `process`, and some throw when it is touched without
 * permission (Deno).
 */
function environmentLevel() {
  try {
    const level = globalThis.process?.env?.LEAN_LOG;
    return typeof level === 'string' ? level.trim().toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `console` at `level` (`info` drops the `debug` events): one line per
 * event, its message (which says all its fields do), prefixed so that it
 * stands out among the application's own lines.
 */
function consoleLogger(level) {
  const out = globalThis.console;
  const line = (method) => (message) => out[method](`lean-sdk: ${message}`);
  return { debug: level === 'debug' ? line('debug') : () => {}, info: line('info') };
}

/**
 * The logger a client's events go to: `options.logger` (any object with
 * `debug` and `info` methods: `console`, a pino or winston logger), else
 * `console` when `LEAN_LOG` is `debug` or `info`, else none (`null`, and
 * the core records no events). `logger: null` turns `LEAN_LOG` off for
 * that client.
 */
export function chooseLogger(options) {
  const { logger } = options;
  if (logger === null) return null;
  if (logger !== undefined) {
    if (typeof logger !== 'object' && typeof logger !== 'function') {
      throw configuration('logger must be an object with debug and info methods, such as console or a pino or winston logger');
    }
    for (const method of ['debug', 'info']) {
      if (typeof logger[method] !== 'function') {
        throw configuration(`logger has no ${method} method: pass console, a pino or winston logger, or any object with debug and info methods`);
      }
    }
    return logger;
  }
  const level = environmentLevel();
  return level === 'debug' || level === 'info' ? consoleLogger(level) : null;
}

/**
 * Hands `events` (the core's event objects) to `logger`: each to the
 * method of its `level`, with its message and the event itself. A logger
 * that throws does not fail the call: the request it reports has been
 * made, and what the call does next must not depend on logging.
 */
export function emit(logger, events) {
  if (logger === null || events === undefined) return;
  for (const event of events) {
    try {
      logger[event.level](event.message, event);
    } catch {
      // See above: logging never changes a call's outcome.
    }
  }
}

/**
 * Gives a call's result its attempts (`[{ attempt, phase, status,
 * requestId, transportError, elapsedMs }]`, the core's list) as a
 * non-enumerable property, as Stripe's results carry `lastResponse`: JSON,
 * spreading and deep equality see the API's value only. A value that
 * already has an `attempts` field of its own keeps it.
 */
export function withAttempts(value, attempts) {
  if (value !== null && typeof value === 'object' && !Object.hasOwn(value, 'attempts')) {
    Object.defineProperty(value, 'attempts', { value: attempts ?? [], enumerable: false, writable: true, configurable: true });
  }
  return value;
}
