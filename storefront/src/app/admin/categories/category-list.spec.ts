import { flattenCategories } from './category-list';

describe('flattenCategories', () => {
  it('lists the staff tree in reading order with each row\'s depth and state', () => {
    const rows = flattenCategories([
      { slug: 'audio', name: 'Audio', isActive: false, children: [{ slug: 'headphones', name: 'Headphones', isActive: true }] },
      { slug: 'books', name: 'Books', isActive: true },
    ]);
    expect(rows.map((row) => [row.label, row.isActive])).toEqual([
      ['Audio', false], ['— Headphones', true], ['Books', true]]);
  });
});
