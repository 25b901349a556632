/**
 * An RPC URL safe to print or log: scheme, host and port only. Providers put API keys in the path
 * (`/v3/<key>`), the query (`?apikey=`) or the user info (`https://user:key@host`), so all three are
 * dropped; "…" shows that something was removed. Anything that does not parse is hidden whole.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "<invalid url>";
  }
  const hidden = parsed.username !== "" || parsed.password !== "" || parsed.search !== "" || parsed.hash !== "";
  const path = parsed.pathname === "/" || parsed.pathname === "" ? "" : "/…";
  return `${parsed.protocol}//${parsed.host}${path}${hidden && path === "" ? "/…" : ""}`;
}
