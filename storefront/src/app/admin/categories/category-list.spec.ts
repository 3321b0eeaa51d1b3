import { flattenCategories } from './category-list';

describe('flattenCategories', () => {
  it('lists the staff tree in reading order with each row\'s depth, path and state', () => {
    const rows = flattenCategories([
      { id: 'a', slug: 'audio', name: 'Audio', isActive: false, children: [
        { id: 'h', slug: 'headphones', name: 'Headphones', isActive: true, children: [{ id: 'w', slug: 'wireless', name: 'Wireless' }] }] },
      { id: 'b', slug: 'books', name: 'Books', isActive: true },
    ]);
    expect(rows.map((row) => [row.id, row.label, row.path, row.depth, row.isActive])).toEqual([
      ['a', 'Audio', 'Audio', 0, false], ['h', '— Headphones', 'Audio › Headphones', 1, true],
      ['w', '— — Wireless', 'Audio › Headphones › Wireless', 2, true], ['b', 'Books', 'Books', 0, true]]);
  });
});
