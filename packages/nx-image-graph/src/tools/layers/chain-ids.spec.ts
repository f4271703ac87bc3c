import { chainIds } from './chain-ids';

describe('chainIds', () => {
  it('keeps the bottom layer and hashes each layer onto the chain beneath it (OCI ChainID)', () => {
    const a = 'sha256:194a4c79347fa3b107ac825e6f593c1e074102c0c895c2904e42ee20d90c22f5';
    const b = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';
    const ids = chainIds([a, b]);
    expect(ids[0]).toBe(a);
    // sha256("<chain of a> <diff id of b>"), as `docker image inspect` layers are stored under /var/lib/docker/image/*/layerdb/sha256/.
    expect(ids[1]).toBe('sha256:' + require('node:crypto').createHash('sha256').update(`${a} ${b}`).digest('hex'));
  });

  it('tells the same diff on different parents apart', () => {
    const [x, y, e] = ['sha256:' + '1'.repeat(64), 'sha256:' + '2'.repeat(64), 'sha256:' + '3'.repeat(64)];
    expect(chainIds([x, e])[1]).not.toBe(chainIds([y, e])[1]);
    expect(chainIds([x, e])).toEqual(chainIds([x, e]));
    expect(chainIds([])).toEqual([]);
  });
});
