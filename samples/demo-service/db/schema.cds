// The demo catalogue: the sample service the broker's demo and integration tests call.
// Every key type the broker must handle (Int32, String, Guid, composite), 1:M and M:M
// associations, a complex type, the common scalar types with nulls, an ETag and a stream.
namespace demo;

type Address {
  Street     : String(100);
  City       : String(60);
  PostalCode : String(10);
  Country    : String(2);
}

// Stored as JSON; a collection of a complex type in the OData model.
type Contact {
  Name  : String(60);
  Email : String(100);
  Phone : String(30);
}

entity Categories {
  key ID       : Integer;
      Name     : String(60) not null;
      Products : Association to many Products
                   on Products.Category = $self;
}

entity Suppliers {
  key ID       : UUID;
      Name     : String(100) not null;
      Address  : Address; // CAP flattens this to Address_Street, Address_City, …
      Contacts : many Contact;
      Products : Association to many Products
                   on Products.Supplier = $self;
}

entity Products {
  key ID             : Integer;
      Name           : String(100) not null;
      Description    : String(1000);
      Price          : Decimal(9, 2);
      Rating         : Integer;
      Stock          : Integer64;
      IsAvailable    : Boolean;
      ReleaseDate    : Date;
      DiscontinuedAt : DateTime;
      @odata.etag
      @cds.on.insert: $now
      @cds.on.update: $now
      ModifiedAt     : Timestamp;
      Category       : Association to Categories;
      Supplier       : Association to Suppliers;
      Tags           : Association to many ProductTags
                         on Tags.Product = $self;
}

// Products ↔ Tags is many-to-many through this link entity (composite key).
entity Tags {
  key Code     : String(40);
      Name     : String(60);
      Products : Association to many ProductTags
                   on Products.Tag = $self;
}

entity ProductTags {
  key Product : Association to Products;
  key Tag     : Association to Tags;
      AddedOn : Date;
}

// A media entity on V2 (m:HasStream), a named stream (Edm.Stream property) on V4.
// Its key is generated on insert, as a V2 media entity's is when its stream is posted.
entity Pictures {
  key ID          : UUID;
      Caption     : String(100);
      @Core.MediaType: ContentType
      @Core.ContentDisposition.Filename: FileName
      Content     : LargeBinary;
      @Core.IsMediaType
      ContentType : String(100);
      FileName    : String(200);
}

// An order owns its items (a composition): created together in one deep insert.
entity Orders {
  key ID       : Integer;
      Customer : String(100);
      Items    : Composition of many OrderItems
                   on Items.Order = $self;
}

entity OrderItems {
  key Order    : Association to Orders;
  key Pos      : Integer;
      Product  : Association to Products;
      Quantity : Integer;
}
