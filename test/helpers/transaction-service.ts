// A loopback stand-in for the Safe Transaction Service: the REST endpoints api-kit 5 calls, with
// the validation the real service does (it recomputes the safeTxHash, recovers every signer and
// checks owners on chain, and answers errors in its JSON shapes), and misbehaviour on demand:
// 5xx, 429, slow, hung, garbage, and lies. It binds to 127.0.0.1 only and reads a hardhat node.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

import {
  concat,
  Contract,
  getAddress,
  getBytes,
  hashMessage,
  hexlify,
  id,
  JsonRpcProvider,
  recoverAddress,
  Signature,
  toBigInt,
  TypedDataEncoder,
} from "ethers";

import { SAFE_ABI } from "./outside.js";
import { SAFE_TX_TYPES } from "./safe-typed-data.js";

export interface StoredTransaction {
  safe: string;
  to: string;
  value: string;
  data: string | null;
  operation: number;
  safeTxGas: string;
  baseGas: string;
  gasPrice: string;
  gasToken: string;
  refundReceiver: string;
  nonce: number;
  safeTxHash: string;
  proposer: string;
  origin: string;
  submissionDate: string;
  confirmations: Array<{ owner: string; signature: string; signatureType: string; submissionDate: string }>;
}

/** What the stand-in does wrong, until `misbehave({})` puts it right. */
export interface Misbehaviour {
  /** Answer every request with this status (a JSON body in the service's shape), `times` times. */
  status?: number;
  times?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer. */
  hang?: boolean;
  /** Answer 200 with a body that is not JSON. */
  garbage?: boolean;
}

export interface TransactionServiceStandIn {
  /** api-kit's `txServiceUrl`: the base URL ending in /api. */
  url: string;
  /** Requests received, as "METHOD /path". */
  requests: string[];
  /** The stored transactions by safeTxHash (lower case): tests read and corrupt them. */
  transactions: Map<string, StoredTransaction>;
  misbehave(fault: Misbehaviour): void;
  /** Stores a transaction as is, without any validation: a lying or compromised service. */
  inject(tx: StoredTransaction): void;
  /** The API key requests must carry (Authorization: Bearer); none required when undefined. */
  apiKey: string | undefined;
  stop(): Promise<void>;
}

export async function startTransactionService(
  rpcUrl: string,
  options: { apiKey?: string } = {},
): Promise<TransactionServiceStandIn> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  const chainId = Number((await provider.getNetwork()).chainId);
  const transactions = new Map<string, StoredTransaction>();
  const requests: string[] = [];
  let fault: Misbehaviour = {};
  const safe = (address: string) => new Contract(address, SAFE_ABI as never, provider);

  const hashOf = (address: string, tx: Omit<StoredTransaction, "safeTxHash">) =>
    TypedDataEncoder.hash({ chainId, verifyingContract: address }, SAFE_TX_TYPES, {
      ...tx,
      data: tx.data ?? "0x",
    }).toLowerCase();

  /**
   * Who signed the transaction `tx` of `address` with `signature`, as the service's signature
   * parser reads it: 65 bytes (EOA, eth_sign, approved hash), or one contract signature of a
   * nested Safe, which the service asks that Safe about (EIP-1271, with the transaction's preimage).
   */
  async function signerOf(
    address: string,
    tx: Omit<StoredTransaction, "safeTxHash">,
    signature: string,
  ): Promise<{ owner: string; type: string }> {
    const hash = hashOf(address, tx);
    const bytes = getBytes(signature);
    if (bytes.length > 65 && bytes[64] === 0) {
      const owner = getAddress(hexlify(bytes.slice(12, 32)));
      const offset = Number(toBigInt(bytes.slice(32, 64)));
      const length = Number(toBigInt(bytes.slice(offset, offset + 32)));
      const inner = hexlify(bytes.slice(offset + 32, offset + 32 + length));
      const preimage = TypedDataEncoder.encode({ chainId, verifyingContract: address }, SAFE_TX_TYPES, {
        ...tx,
        data: tx.data ?? "0x",
      });
      const validator = new Contract(
        owner,
        ["function isValidSignature(bytes, bytes) view returns (bytes4)"],
        provider,
      );
      const magic: unknown = await validator.isValidSignature!(preimage, inner).catch(() => "0x");
      if (magic !== "0x20c13b0b") throw new Error(`Signature=${signature} for owner=${owner} is not valid`);
      return { owner, type: "CONTRACT_SIGNATURE" };
    }
    if (bytes.length !== 65) throw new Error("Signature must be 65 bytes");
    const v = bytes[64]!;
    if (v === 1) {
      const owner = getAddress(`0x${signature.slice(26, 66)}`);
      const approved = (await safe(address).approvedHashes!(owner, hash)) as bigint;
      if (approved === 0n) throw new Error(`Owner=${owner} has not approved hash=${hash}`);
      return { owner, type: "APPROVED_HASH" };
    }
    if (v === 27 || v === 28) return { owner: recoverAddress(hash, signature), type: "EOA" };
    if (v === 31 || v === 32) {
      const standard = Signature.from(concat([bytes.slice(0, 64), new Uint8Array([v - 4])]));
      return { owner: recoverAddress(hashMessage(getBytes(hash)), standard), type: "ETH_SIGN" };
    }
    throw new Error(`Signature type v=${v} not supported`);
  }

  async function executedHashes(address: string): Promise<Set<string>> {
    const logs = await provider.getLogs({
      address,
      fromBlock: 0,
      toBlock: "latest",
      topics: [id("ExecutionSuccess(bytes32,uint256)")],
    });
    return new Set(logs.map((log) => `0x${log.data.slice(2, 66)}`.toLowerCase()));
  }

  async function view(tx: StoredTransaction, executed?: Set<string>) {
    const done = (executed ?? (await executedHashes(tx.safe))).has(tx.safeTxHash);
    const threshold = Number((await safe(tx.safe).getThreshold!()) as bigint);
    return {
      safe: tx.safe,
      to: tx.to,
      value: tx.value,
      data: tx.data,
      operation: tx.operation,
      gasToken: tx.gasToken,
      safeTxGas: tx.safeTxGas,
      baseGas: tx.baseGas,
      gasPrice: tx.gasPrice,
      refundReceiver: tx.refundReceiver,
      nonce: String(tx.nonce),
      executionDate: null,
      submissionDate: tx.submissionDate,
      modified: tx.submissionDate,
      blockNumber: null,
      transactionHash: null,
      safeTxHash: tx.safeTxHash,
      proposer: tx.proposer,
      proposedByDelegate: null,
      executor: null,
      isExecuted: done,
      isSuccessful: done ? true : null,
      ethGasPrice: null,
      maxFeePerGas: null,
      maxPriorityFeePerGas: null,
      gasUsed: null,
      fee: null,
      origin: tx.origin,
      dataDecoded: null,
      confirmationsRequired: threshold,
      confirmations: tx.confirmations.map((c) => ({ ...c, transactionHash: null })),
      trusted: true,
      signatures: null,
    };
  }

  type Answer = { status: number; body?: unknown };
  const notFound: Answer = { status: 404, body: { detail: "Not found." } };

  async function route(method: string, url: URL, body: Record<string, unknown>): Promise<Answer> {
    const path = url.pathname.replace(/^\/api/, "");
    if (method === "GET" && path === "/v1/about/") return about();
    if (method === "GET" && path === "/v1/about") return about();
    let match = /^\/v1\/safes\/(0x[0-9a-fA-F]{40})\/$/.exec(path);
    if (match !== null && method === "GET") {
      const address = getAddress(match[1]!);
      if ((await provider.getCode(address)) === "0x") return notFound;
      const contract = safe(address);
      const [nonce, threshold, owners] = (await Promise.all([
        contract.nonce!(),
        contract.getThreshold!(),
        contract.getOwners!(),
      ])) as [bigint, bigint, string[]];
      return {
        status: 200,
        body: {
          address,
          nonce: String(nonce),
          threshold: Number(threshold),
          owners,
          masterCopy: "0x29fcB43b46531BcA003ddC8FCB67FFE91900C762",
          modules: [],
          fallbackHandler: "0xfd0732Dc9E303f09fCEf3a7388Ad10A83459Ec99",
          guard: "0x0000000000000000000000000000000000000000",
          version: "1.4.1+L2",
        },
      };
    }
    match = /^\/v2\/safes\/(0x[0-9a-fA-F]{40})\/multisig-transactions\/$/.exec(path);
    if (match !== null && method === "POST") return propose(getAddress(match[1]!), body);
    if (match !== null && method === "GET") return list(getAddress(match[1]!), url.searchParams);
    match = /^\/v2\/multisig-transactions\/(0x[0-9a-fA-F]+)\/$/.exec(path);
    if (match !== null && method === "GET") {
      const tx = transactions.get(match[1]!.toLowerCase());
      return tx === undefined ? notFound : { status: 200, body: await view(tx) };
    }
    match = /^\/v1\/multisig-transactions\/(0x[0-9a-fA-F]+)\/confirmations\/$/.exec(path);
    if (match !== null) {
      const tx = transactions.get(match[1]!.toLowerCase());
      if (tx === undefined) return notFound;
      if (method === "GET") {
        return {
          status: 200,
          body: { count: tx.confirmations.length, next: null, previous: null, results: tx.confirmations },
        };
      }
      if (method === "POST") return confirm(tx, text(body.signature));
    }
    return notFound;
  }

  function about(): Answer {
    return {
      status: 200,
      body: { name: "Safe Transaction Service", version: "5.20.0", api_version: "v1", secure: false, settings: {} },
    };
  }

  async function propose(address: string, body: Record<string, unknown>): Promise<Answer> {
    const invalid = (message: string): Answer => ({ status: 422, body: { nonFieldErrors: [message] } });
    let tx: StoredTransaction;
    try {
      tx = {
        safe: address,
        to: getAddress(text(body.to)),
        value: String(BigInt(text(body.value))),
        data:
          body.data === "0x" || body.data === null || body.data === undefined ? null : text(body.data).toLowerCase(),
        operation: Number(body.operation),
        safeTxGas: String(BigInt(text(body.safeTxGas))),
        baseGas: String(BigInt(text(body.baseGas))),
        gasPrice: String(BigInt(text(body.gasPrice))),
        gasToken: getAddress(text(body.gasToken)),
        refundReceiver: getAddress(text(body.refundReceiver)),
        nonce: Number(body.nonce),
        safeTxHash: "",
        proposer: getAddress(text(body.sender)),
        origin: text(body.origin),
        submissionDate: new Date().toISOString(),
        confirmations: [],
      };
    } catch (error) {
      return { status: 422, body: { to: [(error as Error).message.split("\n")[0]] } };
    }
    const contract = safe(address);
    if ((await provider.getCode(address)) === "0x")
      return invalid(`Safe=${address} does not exist or it's still not indexed`);
    const nonce = Number((await contract.nonce!()) as bigint);
    if (tx.nonce < nonce) return invalid(`Nonce=${tx.nonce} too low for safe=${address}`);
    const hash = hashOf(address, tx);
    const provided = text(body.contractTransactionHash).toLowerCase();
    if (hash !== provided) {
      return invalid(`Contract-transaction-hash=${hash} does not match provided contract-tx-hash=${provided}`);
    }
    tx.safeTxHash = hash;
    const owners = ((await contract.getOwners!()) as string[]).map((o) => getAddress(o));
    if (!owners.includes(tx.proposer))
      return invalid(`Sender=${tx.proposer} is not an owner or delegate. Current owners=${owners.join(",")}`);
    const signature = text(body.signature);
    let signer: { owner: string; type: string };
    try {
      signer = await signerOf(address, tx, signature);
    } catch (error) {
      return invalid((error as Error).message);
    }
    if (signer.owner !== tx.proposer) return invalid(`Signature=${signature} for owner=${tx.proposer} is not valid`);
    const existing = transactions.get(hash);
    const stored = existing ?? tx;
    if (!stored.confirmations.some((c) => c.owner === signer.owner)) {
      stored.confirmations.push({
        owner: signer.owner,
        signature,
        signatureType: signer.type,
        submissionDate: tx.submissionDate,
      });
    }
    transactions.set(hash, stored);
    return { status: 201 };
  }

  async function confirm(tx: StoredTransaction, signature: string): Promise<Answer> {
    let signer: { owner: string; type: string };
    try {
      signer = await signerOf(tx.safe, tx, signature);
    } catch (error) {
      return { status: 400, body: { signature: [(error as Error).message] } };
    }
    const owners = ((await safe(tx.safe).getOwners!()) as string[]).map((o) => getAddress(o));
    if (!owners.includes(signer.owner)) {
      return {
        status: 400,
        body: { signature: [`Signer=${signer.owner} is not an owner. Current owners=${owners.join(",")}`] },
      };
    }
    if (tx.confirmations.some((c) => c.owner === signer.owner)) {
      return { status: 400, body: { signature: [`Signature for owner=${signer.owner} already exists`] } };
    }
    tx.confirmations.push({
      owner: signer.owner,
      signature,
      signatureType: signer.type,
      submissionDate: new Date().toISOString(),
    });
    return { status: 201, body: { signature } };
  }

  async function list(address: string, query: URLSearchParams): Promise<Answer> {
    const executed = await executedHashes(address);
    let results = [...transactions.values()].filter((tx) => tx.safe === address);
    if (query.has("executed")) {
      const wanted = query.get("executed") === "true";
      results = results.filter((tx) => executed.has(tx.safeTxHash) === wanted);
    }
    if (query.has("nonce__gte")) results = results.filter((tx) => tx.nonce >= Number(query.get("nonce__gte")));
    if (query.has("nonce")) results = results.filter((tx) => tx.nonce === Number(query.get("nonce")));
    const ordering = query.get("ordering") ?? "-nonce";
    results.sort((a, b) => (ordering === "nonce" ? a.nonce - b.nonce : b.nonce - a.nonce));
    const limit = Math.min(Number(query.get("limit") ?? 20), 200);
    const offset = Number(query.get("offset") ?? 0);
    const page = results.slice(offset, offset + limit);
    const link = (at: number) => {
      const next = new URL(`http://127.0.0.1${url.pathname}`);
      query.forEach((value, key) => next.searchParams.set(key, value));
      next.searchParams.set("offset", String(at));
      return next.toString();
    };
    const url = new URL(`http://127.0.0.1/api/v2/safes/${address}/multisig-transactions/`);
    return {
      status: 200,
      body: {
        count: results.length,
        next: offset + limit < results.length ? link(offset + limit) : null,
        previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
        results: await Promise.all(page.map((tx) => view(tx, executed))),
      },
    };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      requests.push(`${req.method} ${url.pathname}`);
      void (async () => {
        if (fault.hang === true) return;
        if (fault.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
          return send(res, { status: 401, body: { detail: "Authentication credentials were not provided." } });
        }
        if (fault.garbage === true) return send(res, { status: 200, body: "<html>Bad gateway</html>" }, true);
        if (fault.status !== undefined && (fault.times === undefined || fault.times > 0)) {
          if (fault.times !== undefined) fault.times--;
          return send(res, { status: fault.status, body: { detail: `Stand-in fault ${fault.status}` } });
        }
        let body: Record<string, unknown> = {};
        try {
          body = raw === "" ? {} : (JSON.parse(raw) as Record<string, unknown>);
        } catch {
          return send(res, { status: 400, body: { detail: "JSON parse error" } });
        }
        try {
          send(res, await route(req.method ?? "GET", url, body));
        } catch (error) {
          send(res, { status: 500, body: { detail: (error as Error).message } });
        }
      })();
    });
  });
  // Sockets left open by a hung answer must not keep the test process alive.
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}/api`,
    requests,
    transactions,
    apiKey: options.apiKey,
    misbehave(next) {
      fault = { ...next };
    },
    inject(tx) {
      transactions.set(tx.safeTxHash.toLowerCase(), tx);
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      provider.destroy();
    },
  };
}

/** A JSON field as the service's serializers read it: a string or a number, else nothing. */
function text(value: unknown): string {
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
}

function send(res: ServerResponse, answer: { status: number; body?: unknown }, raw = false): void {
  const body = answer.body === undefined ? "" : raw ? text(answer.body) : JSON.stringify(answer.body);
  res.writeHead(answer.status, { "content-type": raw ? "text/html" : "application/json" });
  res.end(body);
}
