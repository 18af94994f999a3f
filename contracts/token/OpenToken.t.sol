// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "../test/Vm.sol";
import {OpenToken} from "./OpenToken.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

contract OpenTokenTest is Test {
    OpenToken internal token;
    address internal constant HOLDER = address(0xA11CE);

    bytes32 internal constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    function setUp() public {
        token = new OpenToken(HOLDER);
    }

    function test_WholeSupplyMintedOnceToHolder() public view {
        assertEq(token.totalSupply(), 1_000_000_000e18, "total supply");
        assertEq(token.balanceOf(HOLDER), 1_000_000_000e18, "holder balance");
        assertEq(token.decimals(), 18, "decimals");
        assertEq(keccak256(bytes(token.symbol())), keccak256("OPEN"), "symbol");
    }

    function test_HasNoMintOrOwnerFunction() public {
        (bool okMint,) = address(token).call(abi.encodeWithSignature("mint(address,uint256)", address(this), 1));
        (bool okOwner,) = address(token).call(abi.encodeWithSignature("owner()"));
        assertTrue(!okMint && !okOwner, "no mint, no owner");
    }

    function testFuzz_TransferMovesExactAmount(address to, uint256 amount) public {
        vm.assume(to != address(0) && to != HOLDER);
        amount = amount % (token.totalSupply() + 1);
        vm.prank(HOLDER);
        token.transfer(to, amount);
        assertEq(token.balanceOf(to), amount, "recipient");
        assertEq(token.balanceOf(HOLDER), token.totalSupply() - amount, "sender");
    }

    function testFuzz_TransferAboveBalanceReverts(uint256 extra) public {
        extra = (extra % 1e30) + 1;
        uint256 supply = token.totalSupply();
        uint256 amount = supply + extra;
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, HOLDER, supply, amount));
        vm.prank(HOLDER);
        token.transfer(address(0xB0B), amount);
    }

    function _permitDigest(address owner, address spender, uint256 value, uint256 nonce, uint256 deadline)
        internal
        view
        returns (bytes32)
    {
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, nonce, deadline));
        return keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash));
    }

    function testFuzz_PermitSetsAllowanceAndBumpsNonce(uint256 pk, address spender, uint256 value) public {
        pk = (pk % 1e70) + 1;
        vm.assume(spender != address(0));
        address owner = vm.addr(pk);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, _permitDigest(owner, spender, value, 0, deadline));
        token.permit(owner, spender, value, deadline, v, r, s);
        assertEq(token.allowance(owner, spender), value, "allowance");
        assertEq(token.nonces(owner), 1, "nonce");
    }

    function test_PermitReplayReverts() public {
        uint256 pk = 0xBEEF;
        address owner = vm.addr(pk);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, _permitDigest(owner, address(this), 5, 0, deadline));
        token.permit(owner, address(this), 5, deadline, v, r, s);
        vm.expectRevert();
        token.permit(owner, address(this), 5, deadline, v, r, s);
    }

    function test_PermitAfterDeadlineReverts() public {
        uint256 pk = 0xBEEF;
        address owner = vm.addr(pk);
        uint256 deadline = block.timestamp + 10;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, _permitDigest(owner, address(this), 5, 0, deadline));
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, deadline));
        token.permit(owner, address(this), 5, deadline, v, r, s);
    }

    function test_DomainSeparatorBindsChainId() public {
        bytes32 before = token.DOMAIN_SEPARATOR();
        vm.chainId(block.chainid + 1);
        assertTrue(token.DOMAIN_SEPARATOR() != before, "domain separator follows chain id");
        bytes32 expected = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("OpenLedger"),
                keccak256("1"),
                block.chainid,
                address(token)
            )
        );
        assertEq(token.DOMAIN_SEPARATOR(), expected, "EIP-712 domain");
    }

    function test_PermitSignedForOtherChainReverts() public {
        uint256 pk = 0xBEEF;
        address owner = vm.addr(pk);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, _permitDigest(owner, address(this), 5, 0, deadline));
        vm.chainId(block.chainid + 7);
        vm.expectRevert();
        token.permit(owner, address(this), 5, deadline, v, r, s);
    }
}
