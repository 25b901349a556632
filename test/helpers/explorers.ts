// Loopback stand-ins for the block explorers, speaking the APIs hardhat-verify 3 calls (read from
// its dist: etherscan.js, blockscout.js, sourcify.js). They bind to 127.0.0.1 on a free port, keep
// what they were sent, answer as scripted, and close with `close()` (or with the test process).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/**
 * How an explorer answers the submissions of one contract, in order; the last answer repeats.
 * `not-indexed`: "Unable to locate ContractCode" (the explorer has not seen the deployment);
 * `pending`: the first status poll says "Pending in queue"; `fail`: the job fails.
 */
export type Answer = "verified" | "already-verified" | "not-indexed" | "pending" | "fail";

export interface Submission {
  /** Contract name without the source path, e.g. "VaultV1". */
  contract: string;
  address: string;
  /** ABI-encoded constructor arguments, without 0x (Etherscan API only). */
  constructorArguments?: string;
}

export interface ExplorerStandIn {
  /** Base URL: the Etherscan-style API is `${url}/api`; Sourcify's routes hang off it directly. */
  url: string;
  submissions: Submission[];
  /** Lower-case addresses the stand-in holds as verified. */
  verified: Set<string>;
  script(contract: string, answers: Answer[]): void;
  close(): Promise<void>;
}

interface Job {
  address: string;
  answer: Answer;
  polls: number;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) body += String(chunk);
  return body;
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function shortName(contractName: string): string {
  return contractName.slice(contractName.lastIndexOf(":") + 1);
}

async function listen(
  handle: (req: IncomingMessage, res: ServerResponse, state: State) => Promise<void>,
): Promise<ExplorerStandIn> {
  const state: State = { submissions: [], verified: new Set(), scripts: new Map(), jobs: new Map() };
  const server = createServer((req, res) => {
    handle(req, res, state).catch((error: Error) => send(res, 500, { message: error.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    submissions: state.submissions,
    verified: state.verified,
    script: (contract, answers) => void state.scripts.set(contract, [...answers]),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface State {
  submissions: Submission[];
  verified: Set<string>;
  scripts: Map<string, Answer[]>;
  jobs: Map<string, Job>;
}

function nextAnswer(state: State, contract: string): Answer {
  const answers = state.scripts.get(contract);
  if (answers === undefined || answers.length === 0) return "verified";
  return answers.length > 1 ? answers.shift()! : answers[0]!;
}

/**
 * Etherscan's v2 API (`chainid` in the query, an API key required) or Blockscout's
 * Etherscan-compatible API (no chain id, no key): GET getsourcecode, POST verifysourcecode,
 * GET checkverifystatus.
 */
export function startEtherscanStandIn(options: { chainId?: number; apiKey?: string } = {}): Promise<ExplorerStandIn> {
  return listen(async (req, res, state) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const query = url.searchParams;
    if (url.pathname !== "/api") return send(res, 404, { status: "0", message: "NOTOK", result: "Not found" });
    if (options.apiKey !== undefined && query.get("apikey") !== options.apiKey) {
      return send(res, 200, { status: "0", message: "NOTOK", result: "Invalid API Key" });
    }
    if (options.chainId !== undefined && query.get("chainid") !== String(options.chainId)) {
      return send(res, 200, { status: "0", message: "NOTOK", result: "Missing or unsupported chainid parameter" });
    }
    const action = query.get("action");
    if (req.method === "GET" && action === "getsourcecode") {
      const verified = state.verified.has((query.get("address") ?? "").toLowerCase());
      return send(res, 200, {
        status: "1",
        message: "OK",
        result: [verified ? { SourceCode: "// verified", ContractName: "X" } : { SourceCode: "", ContractName: "" }],
      });
    }
    if (req.method === "POST" && action === "verifysourcecode") {
      const form = new URLSearchParams(await readBody(req));
      const address = form.get("contractaddress") ?? "";
      const contract = shortName(form.get("contractname") ?? "");
      state.submissions.push({ contract, address, constructorArguments: form.get("constructorArguments") ?? "" });
      const answer = nextAnswer(state, contract);
      if (answer === "not-indexed") {
        return send(res, 200, { status: "0", message: "NOTOK", result: `Unable to locate ContractCode at ${address}` });
      }
      if (answer === "already-verified") {
        state.verified.add(address.toLowerCase());
        return send(res, 200, { status: "0", message: "NOTOK", result: "Already Verified" });
      }
      const guid = randomUUID();
      state.jobs.set(guid, { address, answer, polls: 0 });
      return send(res, 200, { status: "1", message: "OK", result: guid });
    }
    if (req.method === "GET" && action === "checkverifystatus") {
      const job = state.jobs.get(query.get("guid") ?? "");
      if (job === undefined) return send(res, 200, { status: "0", message: "NOTOK", result: "Unknown GUID" });
      job.polls++;
      if (job.answer === "pending" && job.polls === 1) {
        return send(res, 200, { status: "0", message: "NOTOK", result: "Pending in queue" });
      }
      if (job.answer === "fail") {
        return send(res, 200, { status: "0", message: "NOTOK", result: "Fail - Unable to verify" });
      }
      state.verified.add(job.address.toLowerCase());
      return send(res, 200, { status: "1", message: "OK", result: "Pass - Verified" });
    }
    return send(res, 200, { status: "0", message: "NOTOK", result: `Unsupported action ${action}` });
  });
}

/** Sourcify's v2 API: GET /v2/contract/:chainId/:address, POST /v2/verify/:chainId/:address, GET /v2/verify/:id. */
export function startSourcifyStandIn(): Promise<ExplorerStandIn> {
  return listen(async (req, res, state) => {
    const parts = (req.url ?? "/").split("?")[0]!.split("/").filter(Boolean);
    const matchOf = (chainId: string, address: string, match: string | null) => ({
      match,
      creationMatch: match,
      runtimeMatch: match,
      chainId,
      address,
    });
    if (req.method === "GET" && parts[0] === "v2" && parts[1] === "contract" && parts.length === 4) {
      const [, , chainId, address] = parts as [string, string, string, string];
      const verified = state.verified.has(address.toLowerCase());
      return send(res, verified ? 200 : 404, matchOf(chainId, address, verified ? "exact_match" : null));
    }
    if (req.method === "POST" && parts[0] === "v2" && parts[1] === "verify" && parts.length === 4) {
      const [, , chainId, address] = parts as [string, string, string, string];
      const body = JSON.parse(await readBody(req)) as { contractIdentifier: string };
      const contract = shortName(body.contractIdentifier);
      state.submissions.push({ contract, address });
      const answer = nextAnswer(state, contract);
      if (answer === "already-verified") {
        state.verified.add(address.toLowerCase());
        return send(res, 409, {
          customCode: "already_verified",
          message: "The contract is already verified",
          errorId: randomUUID(),
        });
      }
      const verificationId = randomUUID();
      state.jobs.set(verificationId, { address, answer, polls: 0 });
      void chainId;
      return send(res, 202, { verificationId });
    }
    if (req.method === "GET" && parts[0] === "v2" && parts[1] === "verify" && parts.length === 3) {
      const verificationId = parts[2]!;
      const job = state.jobs.get(verificationId);
      if (job === undefined) {
        return send(res, 404, { customCode: "not_found", message: "No such job", errorId: randomUUID() });
      }
      job.polls++;
      const base = { verificationId, jobStartTime: new Date().toISOString(), isJobCompleted: true };
      const contract = matchOf("0", job.address, null);
      if (job.answer === "pending" && job.polls === 1)
        return send(res, 200, { ...base, isJobCompleted: false, contract });
      if (job.answer === "not-indexed") {
        return send(res, 200, {
          ...base,
          contract,
          error: { customCode: "contract_not_deployed", message: "Contract not found on chain", errorId: "e" },
        });
      }
      if (job.answer === "fail") {
        return send(res, 200, {
          ...base,
          contract,
          error: { customCode: "no_match", message: "The onchain and recompiled bytecodes don't match", errorId: "e" },
        });
      }
      state.verified.add(job.address.toLowerCase());
      return send(res, 200, { ...base, contract: matchOf("0", job.address, "exact_match") });
    }
    return send(res, 404, { customCode: "not_found", message: `No route ${req.method} ${req.url}`, errorId: "e" });
  });
}
