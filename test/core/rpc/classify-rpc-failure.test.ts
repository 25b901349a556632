import { expect } from "chai";

import { classifyRpcFailure, parseRetryAfter } from "../../../src/core/rpc/classify-rpc-failure.js";
import { redactUrl } from "../../../src/core/rpc/redact-url.js";

const rpc = (code: number, message: string) =>
  classifyRpcFailure({ type: "json-rpc-error", error: { code, message } }, 0);

describe("classifyRpcFailure", function () {
  it("a timeout", function () {
    expect(classifyRpcFailure({ type: "exception", error: new Error("x"), timedOut: true }, 0).kind).to.equal(
      "timeout",
    );
  });
  it("a refused connection is a transport failure, without the URL", function () {
    const failure = classifyRpcFailure(
      {
        type: "exception",
        error: Object.assign(new Error("fetch failed"), { cause: { code: "ECONNREFUSED" } }),
        timedOut: false,
      },
      0,
    );
    expect(failure).to.deep.equal({ kind: "transport", message: "connection refused" });
  });
  it("HTTP 429 with Retry-After in seconds", function () {
    expect(classifyRpcFailure({ type: "http-status", status: 429, retryAfter: "3" }, 0)).to.include({
      kind: "rate-limit",
      retryAfterMs: 3000,
    });
  });
  it("HTTP 503 is a server failure", function () {
    expect(classifyRpcFailure({ type: "http-status", status: 503, retryAfter: null }, 0).kind).to.equal("server");
  });
  it("garbage is a server failure", function () {
    expect(classifyRpcFailure({ type: "unparseable", snippet: "<html>" }, 0).kind).to.equal("server");
  });
  for (const [code, message] of [
    [-32005, "limit exceeded"],
    [-32007, "request rate exceeded"],
    [429, "Too Many Requests"],
    [-32000, "rate limit reached"],
  ] as const) {
    it(`JSON-RPC ${code} "${message}" is a rate limit, never a revert`, function () {
      expect(rpc(code, message).kind).to.equal("rate-limit");
    });
  }
  it("code 3 and 'execution reverted' are reverts", function () {
    expect(rpc(3, "execution reverted: nope").kind).to.equal("revert");
    expect(
      rpc(-32603, "Error: VM Exception while processing transaction: reverted with reason string 'x'").kind,
    ).to.equal("revert");
  });
  it("'header not found' is a server failure; 'invalid params' is an answer", function () {
    expect(rpc(-32000, "header not found").kind).to.equal("server");
    expect(rpc(-32602, "invalid params").kind).to.equal("other");
  });
  it("Retry-After as an HTTP date", function () {
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).to.equal(6_000);
    expect(parseRetryAfter("soon", 0)).to.equal(undefined);
  });
});

describe("redactUrl", function () {
  it("drops path, query and user info, where keys live", function () {
    expect(redactUrl("https://eth-mainnet.example/v2/SECRET")).to.equal("https://eth-mainnet.example/…");
    expect(redactUrl("https://rpc.example?apikey=SECRET")).to.equal("https://rpc.example/…");
    expect(redactUrl("https://user:SECRET@rpc.example")).to.equal("https://rpc.example/…");
    expect(redactUrl("http://127.0.0.1:8545")).to.equal("http://127.0.0.1:8545");
    expect(redactUrl("not a url SECRET")).to.equal("<invalid url>");
  });
});
