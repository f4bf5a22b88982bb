// The operations of both APIs as JavaScript: the methods of both clients
// that are one API call each, made from a table of their arguments (each
// argument reaches the core under the name it reads it by), and
// `validate`. Their types and documentation are in index.d.ts (and
// openbanking/index.d.ts). Each bundle carries its own copy, bound to its
// own wasm module.

import { configuration, onlyKnown } from './options.js';
import { guard, translate, wasm } from './wasm.js';

/**
 * The `{ pageNumber, pageSize }` of a list call, with nothing else in it:
 * call options (`{ signal }`) passed where the paging goes would otherwise
 * be ignored without a word. The core checks the numbers.
 */
function pagingOf(paging) {
  if (paging === undefined || paging === null) return {};
  if (typeof paging !== 'object') throw configuration('paging must be an object { pageNumber?, pageSize? }');
  onlyKnown(paging, ['pageNumber', 'pageSize'], 'paging key');
  const { pageNumber, pageSize } = paging;
  return { pageNumber, pageSize };
}

/**
 * Adds to `Client.prototype` a method for each entry `name: [argument,
 * ...]` of `operations`: the method of the operation `name` takes those
 * arguments (`paging`: a list call's `{ pageNumber, pageSize }`), then the
 * call options, and runs the call with `run(client, spec, options)`.
 */
export function defineOperations(Client, operations, run) {
  for (const [name, names] of Object.entries(operations)) {
    const method = {
      // `async`, so that a bad argument rejects like every other error of a call.
      async [name](...args) {
        const spec = { operation: name };
        names.forEach((arg, i) => {
          if (arg === 'paging') Object.assign(spec, pagingOf(args[i]));
          else spec[arg] = args[i];
        });
        return run(this, spec, args[names.length]);
      },
    }[name];
    Object.defineProperty(Client.prototype, name, { value: method, writable: true, configurable: true });
  }
}

/**
 * Checks an operation's input with the API's rules without sending it, for
 * forms: returns the field errors (`[]` when valid). `args` carries path
 * arguments where the operation has them (`{ partnerUserId }`, `{
 * customerId }`).
 */
export function validate(operation, input, args = {}) {
  const found = guard(() => wasm().checkCall(JSON.stringify({ ...args, operation, input })));
  if (found === undefined || found === null) return [];
  const error = translate(found);
  if (error.code !== 'validation') throw error;
  return error.errors;
}
