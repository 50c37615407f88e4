import { InvalidProofRequestError } from './integrity.errors';
import { EMPTY_TREE_HASH, Hash, leafHash, merkleRoot, nodeHash, splitPoint } from './merkle-tree';

// The Certificate Transparency reference tree: leaf data (hex) and the root of each prefix.
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const ctLeaves = CT_LEAVES.map((hex) => leafHash(Buffer.from(hex, 'hex')));

/** MTH exactly as RFC 9162 2.1.1 writes it, recursive over slices: an independent reference. */
function referenceRoot(leaves: Hash[]): Hash {
  if (leaves.length === 0) return EMPTY_TREE_HASH;
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

describe('Merkle tree hashing (RFC 9162)', () => {
  it('hashes the empty tree as SHA-256 of nothing', () => {
    expect(merkleRoot([]).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(EMPTY_TREE_HASH.toString('hex')).toBe(merkleRoot([]).toString('hex'));
  });

  it('prefixes leaves with 0x00 and interior nodes with 0x01', () => {
    expect(leafHash(Buffer.alloc(0)).toString('hex')).toBe(CT_ROOTS[0]);
    expect(nodeHash(ctLeaves[0], ctLeaves[1]).toString('hex')).toBe(CT_ROOTS[1]);
  });

  it.each(CT_ROOTS.map((root, i) => [i + 1, root] as const))(
    'gives the reference root of the first %d CT test leaves',
    (n, root) => {
      expect(merkleRoot(ctLeaves, n).toString('hex')).toBe(root);
      expect(merkleRoot(ctLeaves.slice(0, n)).toString('hex')).toBe(root);
    },
  );

  it('agrees with the recursive definition for every size up to 130', () => {
    const leaves = Array.from({ length: 130 }, (_, i) => leafHash(Buffer.from(`event-${i}`)));
    for (let n = 0; n <= 130; n++) expect(merkleRoot(leaves, n)).toEqual(referenceRoot(leaves.slice(0, n)));
  });

  it('splits at the largest power of two below n, exactly beyond 2^32', () => {
    expect([2, 3, 4, 5, 8, 9, 1000].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 8, 512]);
    expect(splitPoint(2 ** 40 + 1)).toBe(2 ** 40);
    expect(splitPoint(2 ** 40)).toBe(2 ** 39);
    expect(splitPoint(2 ** 52 - 1)).toBe(2 ** 51);
  });

  it('refuses a root for more leaves than there are', () => {
    expect(() => merkleRoot(ctLeaves, 9)).toThrow(InvalidProofRequestError);
    expect(() => merkleRoot(ctLeaves, -1)).toThrow(/tree size -1 must be between 0 and 8/);
  });
});
