import { appliesTo } from './promotion-targets';

describe('appliesTo', () => {
  const paths = new Map([['c1', 'Electronics › Audio'], ['c2', 'Books']]);

  it('says everything when nothing is chosen', () => {
    expect(appliesTo({ categoryIds: [], productIds: [] }, paths)).toBe('Everything');
  });

  it('names the categories by their path and counts the products', () => {
    expect(appliesTo({ categoryIds: ['c1', 'c2'], productIds: ['p1'] }, paths)).toBe('2 categories (Electronics › Audio, Books), 1 product');
    expect(appliesTo({ categoryIds: ['c2'], productIds: [] }, paths)).toBe('1 category (Books)');
    expect(appliesTo({ categoryIds: [], productIds: ['p1', 'p2'] }, paths)).toBe('2 products');
  });

  it('counts the categories when the tree does not know one of them', () => {
    expect(appliesTo({ categoryIds: ['c1', 'c9'], productIds: [] }, paths)).toBe('2 categories');
  });
});
