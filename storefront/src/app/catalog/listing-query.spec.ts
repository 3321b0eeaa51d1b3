import { convertToParamMap } from '@angular/router';
import { PAGE_SIZE, queryFromUrl, urlFromForm } from './listing-query';

describe('listing query', () => {
  it('reads filters, sort and page from the URL, dropping what the API would refuse', () => {
    const query = queryFromUrl(convertToParamMap({ category: 'books', q: 'lamp', sort: 'price', order: 'desc',
                                                   page: '3', minPrice: '10' }));
    expect(query).toEqual(jasmine.objectContaining({ category: 'books', q: 'lamp', sort: 'price', order: 'desc',
                                                     page: 3, minPrice: '10', pageSize: PAGE_SIZE }));
    const junk = queryFromUrl(convertToParamMap({ sort: 'cheapest', page: '-2', order: 'sideways' }));
    expect([junk.sort, junk.page, junk.order]).toEqual([undefined, 1, undefined]);
  });

  it('turns the filter form into query parameters without empty ones', () => {
    const form = new FormData();
    form.set('q', ' lamp '); form.set('category', ''); form.set('sort', 'price:desc');
    expect(urlFromForm(form)).toEqual({ q: 'lamp', sort: 'price', order: 'desc' });
  });
});
