// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {VaultV1} from "../example/VaultV1.sol";

/// @title VaultReceiverMock
/// @author release-safety
/// @notice TEST ONLY. A contract account that deposits into and withdraws from a vault, and reacts to the
///         incoming ETH in a configurable way.
/// @dev Exists to exercise the withdraw path against hostile recipients: `Reject` proves a failed send
///      reverts with TransferFailed, `Reenter` proves checks-effects-interactions (the nested withdraw
///      sees the already reduced balance and fails, so nothing is paid twice).
contract VaultReceiverMock {
    /// @notice How the mock reacts when it receives ETH.
    enum Mode {
        Accept,
        Reject,
        Reenter
    }

    /// @notice The vault under test.
    VaultV1 public immutable VAULT;
    /// @notice Current reaction to incoming ETH.
    Mode public mode;
    /// @notice Whether the last re-entrant withdraw attempt succeeded (must stay false).
    bool public reentrySucceeded;

    /// @notice Raised from `receive` in `Reject` mode.
    error Rejected();

    /// @notice Binds the mock to a vault.
    /// @param vault The vault (proxy) to interact with.
    constructor(VaultV1 vault) {
        VAULT = vault;
    }

    // solhint-disable no-complex-fallback
    /// @notice Reacts to the vault's payout according to `mode`.
    /// @dev Deliberately non-trivial: it IS the hostile recipient under test.
    receive() external payable {
        if (mode == Mode.Reject) revert Rejected();
        if (mode == Mode.Reenter) {
            try VAULT.withdraw(msg.value) {
                reentrySucceeded = true;
            } catch {
                reentrySucceeded = false;
            }
        }
    }
    // solhint-enable no-complex-fallback

    /// @notice Sets how the mock reacts to incoming ETH.
    /// @param newMode The new mode.
    function setMode(Mode newMode) external {
        mode = newMode;
    }

    /// @notice Deposits the sent ETH into the vault on behalf of this contract.
    function deposit() external payable {
        VAULT.deposit{value: msg.value}();
    }

    /// @notice Withdraws `amount` from the vault to this contract.
    /// @param amount The amount in wei.
    function withdraw(uint256 amount) external {
        VAULT.withdraw(amount);
    }
}
