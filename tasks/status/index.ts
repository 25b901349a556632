import { task } from "hardhat/config";

export default task(
  ["release", "status"],
  "Show what is deployed on the selected network and how it is governed (Safes, timelock, proxies, pause and rollback state), read from chain and compared with deployments/<network>/. Exits with code 1 when chain and records differ.",
)
  .addFlag({
    name: "json",
    description: "Print the status as JSON (stable interface, see docs/reference.md)",
  })
  .setAction(() => import("./action.js"))
  .build();
