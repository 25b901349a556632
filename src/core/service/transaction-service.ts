import http from "node:http";
import https from "node:https";

import apiKit, { HttpError, type ProposeTransactionProps } from "@safe-global/api-kit";

import type { TransactionServiceConfig } from "../config/release-config.js";
import { ERRORS, ReleaseError } from "../errors.js";
import type { Address, Hex } from "../types.js";
import { parseServiceTransaction, parseTransactionList, type ServiceTransaction } from "./service-transaction.js";

// api-kit's types describe its CommonJS build (the class is `default` of the module); Node loads
// its ES build here, whose default export is the class itself. Either way, this is the class.
const SafeApiKit = ((apiKit as { default?: unknown }).default ?? apiKit) as typeof apiKit.default;
type SafeApiKit = InstanceType<typeof SafeApiKit>;

/** How long one request may take, and how often a failed read is tried again. */
const DEFAULT_TIMEOUT = 10_000;
const READ_ATTEMPTS = 3;
const RETRY_BASE_MS = 250;
/** A service listing more pages than this for one Safe is not believed. */
const MAX_PAGES = 20;
const PAGE_SIZE = 100;

/**
 * The Safe Transaction Service through api-kit, the Safe team's client, with what a release needs
 * around it: a deadline per request (api-kit has none: a hung service would hang the command), a
 * few retries of reads on 429, 5xx and network errors (writes are never retried: the commands read
 * the queue first, so running them again sends nothing twice), answers parsed rather than trusted,
 * and every failure as an RS8xxx error. `requests` counts the HTTP requests made.
 */
export class TransactionService {
  requests = 0;
  readonly #kit: SafeApiKit;
  readonly #timeout: number;
  readonly #network: string;
  readonly #host: string;

  private constructor(
    kit: SafeApiKit,
    /** For messages: the configured URL, or "Safe's hosted service". */
    readonly url: string,
    network: string,
    timeout: number,
  ) {
    this.#kit = kit;
    this.#network = network;
    this.#timeout = timeout;
    this.#host = url.startsWith("http") ? url : "https://api.safe.global";
  }

  /** RS8001 when the network has no service; the API key is read now (from the keystore, say). */
  static async open(
    network: string,
    chainId: number,
    config: TransactionServiceConfig | undefined,
  ): Promise<TransactionService> {
    if (config === undefined) throw new ReleaseError(ERRORS.SERVICE.NOT_CONFIGURED, { network });
    const apiKey = config.apiKey === undefined ? undefined : await config.apiKey.get();
    let kit: SafeApiKit;
    try {
      kit = new SafeApiKit({ chainId: BigInt(chainId), txServiceUrl: config.url, apiKey });
    } catch (error) {
      // api-kit knows no hosted service for this chain: the config must name one.
      throw new ReleaseError(
        ERRORS.CONFIG.INVALID,
        { message: `release.networks.${network}.transactionService: ${(error as Error).message}` },
        error as Error,
      );
    }
    const url = config.url ?? "Safe's hosted service";
    return new TransactionService(kit, url, network, config.timeout ?? DEFAULT_TIMEOUT);
  }

  /** The service's transaction with this safeTxHash, parsed; undefined when it has none. */
  async transaction(safeTxHash: Hex): Promise<ServiceTransaction | undefined> {
    const request = `GET /v2/multisig-transactions/${safeTxHash}/`;
    try {
      const raw = await this.#read(request, () => this.#kit.getTransaction(safeTxHash));
      return this.#parse(request, () => parseServiceTransaction(raw));
    } catch (error) {
      if (ReleaseError.is(error) && error.values.status === 404) return undefined;
      throw error;
    }
  }

  /** Every queued (not executed) transaction of `safe` from `nonce` (the chain's) on, all pages. */
  async pending(safe: Address, nonce: number): Promise<ServiceTransaction[]> {
    const all: ServiceTransaction[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const request = `GET /v2/safes/${safe}/multisig-transactions/?executed=false&nonce__gte=${nonce}`;
      // The nonce is the chain's: api-kit's getPendingTransactions would take the service's.
      const raw = await this.#read(request, () =>
        this.#kit.getMultisigTransactions(safe, {
          executed: false,
          nonce__gte: nonce,
          ordering: "nonce",
          limit: PAGE_SIZE,
          offset: page * PAGE_SIZE,
        }),
      );
      const list = this.#parse(request, () => parseTransactionList(raw));
      all.push(...list.results);
      if (list.next === null || list.results.length === 0) return all;
    }
    throw new ReleaseError(ERRORS.SERVICE.LYING, {
      url: this.url,
      request: `GET /v2/safes/${safe}/multisig-transactions/`,
      reason: `it keeps listing pages past ${MAX_PAGES * PAGE_SIZE} queued transactions`,
      network: this.#network,
    });
  }

  /** POST /v2/safes/{safe}/multisig-transactions/: a new transaction with its proposer's signature. */
  async propose(props: ProposeTransactionProps): Promise<void> {
    await this.#write(`POST /v2/safes/${props.safeAddress}/multisig-transactions/`, () =>
      this.#kit.proposeTransaction(props),
    );
  }

  /** POST /v1/multisig-transactions/{safeTxHash}/confirmations/: one more owner's signature. */
  async confirm(safeTxHash: Hex, signature: Hex): Promise<void> {
    await this.#write(`POST /v1/multisig-transactions/${safeTxHash}/confirmations/`, () =>
      this.#kit.confirmTransaction(safeTxHash, signature),
    );
  }

  #parse<T>(request: string, parse: () => T): T {
    try {
      return parse();
    } catch (error) {
      throw new ReleaseError(
        ERRORS.SERVICE.LYING,
        { url: this.url, request, reason: (error as Error).message, network: this.#network },
        error as Error,
      );
    }
  }

  async #read<T>(request: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#call(request, call);
      } catch (error) {
        const retriable = ReleaseError.is(error) && error.code === ERRORS.SERVICE.UNREACHABLE.code;
        if (!retriable || attempt >= READ_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, RETRY_BASE_MS * 2 ** (attempt - 1)));
      }
    }
  }

  async #write(request: string, call: () => Promise<unknown>): Promise<void> {
    await this.#call(request, call);
  }

  /** One request within the deadline; its failure as RS8002 (retriable) or RS8003 (refused). */
  async #call<T>(request: string, call: () => Promise<T>): Promise<T> {
    this.requests++;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abandonRequests(this.#host);
        reject(new Error(`no answer within ${this.#timeout} ms`));
      }, this.#timeout);
    });
    try {
      return await Promise.race([call(), deadline]);
    } catch (error) {
      throw this.#failure(request, error);
    } finally {
      clearTimeout(timer);
    }
  }

  #failure(request: string, error: unknown): ReleaseError {
    const at = { url: this.url, request, network: this.#network };
    if (error instanceof HttpError) {
      const status = error.statusCode;
      const message = oneLine(error.message);
      if (status === 429 || status >= 500) {
        return new ReleaseError(ERRORS.SERVICE.UNREACHABLE, { ...at, status, reason: `${status} ${message}` }, error);
      }
      return new ReleaseError(
        ERRORS.SERVICE.REFUSED,
        { ...at, status, message, advice: advice(status, this.#network) },
        error,
      );
    }
    if (error instanceof SyntaxError) {
      return new ReleaseError(ERRORS.SERVICE.LYING, { ...at, reason: "its answer is not JSON" }, error);
    }
    return new ReleaseError(
      ERRORS.SERVICE.UNREACHABLE,
      { ...at, reason: oneLine(String((error as Error).message)) },
      error as Error,
    );
  }
}

function advice(status: number, network: string): string {
  if (status === 401 || status === 403) {
    return "Check the service's API key (`transactionService.apiKey`, e.g. `npx hardhat keystore set SAFE_API_KEY`).";
  }
  if (status === 404) return "Check `transactionService.url`: it is the service's base URL, ending in /api.";
  return `The service checks what it is sent against the chain: compare with \`npx hardhat release review <proposal> --network ${network}\` and fix what it names.`;
}

function oneLine(text: string): string {
  return text
    .split("\n")[0]!
    .replace(/https?:\/\/\S+/g, "<url>")
    .slice(0, 300);
}

/**
 * api-kit's requests cannot be aborted, and a service that never answers would keep the process
 * alive after the deadline: destroy the sockets to its host (node-fetch uses Node's global agents).
 */
function abandonRequests(url: string): void {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return;
  }
  const port = target.port || (target.protocol === "https:" ? "443" : "80");
  const prefix = `${target.hostname}:${port}:`;
  for (const agent of [http.globalAgent, https.globalAgent]) {
    for (const group of [agent.sockets, agent.freeSockets]) {
      for (const [key, sockets] of Object.entries(group)) {
        if (key.startsWith(prefix)) for (const socket of sockets ?? []) socket.destroy();
      }
    }
  }
}
