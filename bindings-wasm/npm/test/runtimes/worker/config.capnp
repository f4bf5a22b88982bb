# workerd's configuration of the Worker in worker.js: the bundle and the two
# .wasm files of lean-sdk as compiled Wasm modules, under the names the
# bundle imports them by. The socket's address is given on the command line
# (--socket-addr http=127.0.0.1:PORT).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "out/worker.js"),
    (name = "lean_sdk_wasm_bg.wasm", wasm = embed "out/lean_sdk_wasm_bg.wasm"),
    (name = "lean_sdk_wasm_openbanking_bg.wasm", wasm = embed "out/lean_sdk_wasm_openbanking_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  bindings = [(name = "LEAN_WEBHOOK_SECRET", text = "whsec_runtimes")],
);
