import { variantDrafts, variantsBody } from './variant-draft';

describe('variant drafts', () => {
  it('send the options and variants as the API takes them', () => {
    const body = variantsBody([{ name: ' Size ', values: 'S, M ,' }, { name: '', values: 'ignored' }], [
      { id: 'v1', sku: ' TEE-S ', options: { Size: 'S' }, price: '', stockQuantity: '4', lowStockThreshold: 2, isActive: true },
      { sku: 'TEE-M', options: { Size: 'M' }, price: '21.00', stockQuantity: 'lots', lowStockThreshold: 5, isActive: false },
    ]);
    expect(body.options).toEqual([{ name: 'Size', values: ['S', 'M'] }]);
    expect(body.variants).toEqual([
      { id: 'v1', sku: 'TEE-S', options: { Size: 'S' }, price: null, stockQuantity: 4, lowStockThreshold: 2, isActive: true },
      { sku: 'TEE-M', options: { Size: 'M' }, price: '21.00', stockQuantity: NaN, lowStockThreshold: 5, isActive: false },
    ]);
  });

  it('start from the product, an own price only where it differs from the product\'s', () => {
    const drafts = variantDrafts({ price: '20.00', variants: [
      { id: 'v1', sku: 'A', price: '20.00', stockQuantity: 1, lowStockThreshold: 3, isActive: true, options: { Size: 'S' } },
      { id: 'v2', sku: 'B', price: '25.00', stockQuantity: 0, lowStockThreshold: 5, isActive: false, options: { Size: 'M' } }] });
    expect(drafts.map((draft) => [draft.sku, draft.price, draft.stockQuantity, draft.isActive])).toEqual([
      ['A', '', '1', true], ['B', '25.00', '0', false]]);
  });
});
