using demo from '../db/schema';

// Served at /odata/v4/demo and, through the V2 adapter, at /odata/v2/demo.
// Server-driven paging: 100 rows a page, so lists of the 600 products are paged.
@path: 'demo'
@cds.query.limit: { default: 100, max: 1000 }
service DemoService {
  entity Products    as projection on demo.Products actions {
    // Marks the product discontinued now and returns it.
    action Discontinue() returns Products;
  };
  entity Categories  as projection on demo.Categories;
  entity Suppliers   as projection on demo.Suppliers;
  entity Tags        as projection on demo.Tags;
  entity ProductTags as projection on demo.ProductTags;
  entity Pictures    as projection on demo.Pictures;
  entity Orders      as projection on demo.Orders;
  entity OrderItems  as projection on demo.OrderItems;

  function GetProductsByRating(rating : Integer) returns many Products;
  // Sets every product's rating to the given value; returns how many changed.
  action   ResetRatings(rating : Integer)        returns Integer;
}
