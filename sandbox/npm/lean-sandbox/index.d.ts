/** `${process.platform} ${process.arch}` -> the package carrying its lean-sandbox binary. */
export declare const PACKAGES: Readonly<Record<string, string>>;

/**
 * The path of the lean-sandbox binary, for a test harness to spawn it directly
 * (and signal it directly). LEAN_SANDBOX_BINARY, when set, wins. Throws an Error
 * naming the missing platform package, or the supported platforms.
 */
export declare function binaryPath(): string;
