import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOptions } from '../../src/options.js';
import { allScenarios, selectScenarios } from '../../src/scenarios/index.js';

describe('bench scenarios', () => {
  it('every scenario id is unique, so that --only and the report name one scenario each', () => {
    const ids = allScenarios(parseOptions([])).map((s) => s.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('--only keeps the scenarios whose id contains one of its strings, in run order', () => {
    assert.deepEqual(
      selectScenarios(parseOptions(['--only=limit'])).map((s) => s.id),
      ['limit', 'limit.node'],
    );
    assert.deepEqual(
      selectScenarios(parseOptions(['--only=app_token.sqlite,peer', '--apps=10'])).map((s) => s.id),
      ['peer', 'v1.app_token.sqlite.10'],
    );
    assert.equal(selectScenarios(parseOptions([])).length, allScenarios(parseOptions([])).length);
  });

  it('throws, listing the ids, when --only matches nothing, instead of measuring nothing', () => {
    assert.throws(
      () => selectScenarios(parseOptions(['--only=app_tokn'])),
      /--only=app_tokn matches no scenario of this run; its ids: limit, limit\.node, peer, v1\.app_token\.sqlite\.10,/,
    );
  });
});
