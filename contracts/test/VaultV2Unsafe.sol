// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {VaultV1} from "../example/VaultV1.sol";

/// @title VaultV2Unsafe
/// @author release-safety
/// @notice TEST ONLY. A governed vault (GovernedUUPS via VaultV1, same storage) with two classic
///         upgrade-safety violations.
/// @dev Exists so tests can prove the upgrade safety check refuses it:
///      1. its constructor writes state without `@custom:oz-upgrades-unsafe-allow constructor`: the write
///         lands in the implementation's own storage and is invisible behind the proxy;
///      2. it can `selfdestruct`: historically this let anyone who reached the implementation destroy the
///         code every proxy delegates to. Never deploy it.
contract VaultV2Unsafe is VaultV1 {
    /// @notice Writes state in the constructor (unsafe: not seen by the proxy).
    constructor() {
        _getVaultStorage().depositCap = 1 ether;
    }

    /// @notice Destroys the contract and sends its ETH to the caller (unsafe in an implementation).
    function destroy() external onlyRole(DEFAULT_ADMIN_ROLE) {
        selfdestruct(payable(_msgSender()));
    }

    /// @notice Returns the implementation version.
    /// @return semver The version string.
    function version() external pure override returns (string memory semver) {
        return "2.0.0-unsafe";
    }
}
