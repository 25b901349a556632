// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title ReleaseTimelock
/// @author release-safety
/// @notice OpenZeppelin's TimelockController, unchanged, with one addition: cancellers that are
/// not proposers can be named at construction.
/// @dev Why a subclass: the stock constructor grants CANCELLER_ROLE only to proposers. Giving the
/// guardian Safe the canceller role afterwards needs an admin, which would mean the deployer holds
/// DEFAULT_ADMIN_ROLE for a few transactions (and forever if the deploy dies half-way). Granting it
/// here lets the timelock be born self-administered (`admin = address(0)`): no account other than
/// the timelock itself can ever change its roles.
contract ReleaseTimelock is TimelockController {
    /// @notice Creates a self-administered timelock.
    /// @param minDelay Initial minimum delay in seconds for operations.
    /// @param proposers Accounts granted the proposer role (and, as in the parent, the canceller role).
    /// @param executors Accounts granted the executor role.
    /// @param cancellers Additional accounts granted only the canceller role (the guardian Safe).
    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address[] memory cancellers
    ) TimelockController(minDelay, proposers, executors, address(0)) {
        for (uint256 i = 0; i < cancellers.length; ++i) {
            _grantRole(CANCELLER_ROLE, cancellers[i]);
        }
    }
}
