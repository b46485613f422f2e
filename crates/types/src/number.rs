use std::fmt;

macro_rules! big_number {
    ($name:ident, $what:literal) => {
        #[doc = concat!("An arbitrary-precision ", $what, ", kept as its decimal text.")]
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            #[doc = concat!("Wraps decimal text; see [`", stringify!($name), "::as_str`].")]
            pub fn new(text: impl Into<String>) -> Self {
                Self(text.into())
            }

            /// The decimal text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

big_number!(BigInteger, "integer");
big_number!(BigDecimal, "decimal number");
