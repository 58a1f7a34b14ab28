//! Open enums: the shape of every generated string enum.
//!
//! A value Tencent adds after this version decodes into `Unknown` instead of failing. Match it by
//! its spelling (`x if x.as_str() == "newValue" => ...`), not by `Unknown(..)`, so that code keeps
//! working when a later version gives the value its own variant.

use std::fmt;

/// A value of an open enum that this version of the crate does not know. Opaque: read it with
/// [`UnknownValue::as_str`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(pub(crate) String);

impl UnknownValue {
    /// The value as Tencent spelled it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Declares a string enum with an `Unknown` fallback, `as_str()`, `VALUES`, `From<&str>`,
/// `From<String>`, `FromStr` (infallible), `Display`, serde through the wire spelling, and the
/// lenient wire decoding (`""` and `"-"` decode as absent).
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, )+
        }
    ) => {
        $(#[$meta])*
        ///
        /// Values this version does not know decode into `Unknown`; match them with
        /// `x if x.as_str() == "..."` (see [`UnknownValue`](crate::types::UnknownValue)).
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know.
            Unknown($crate::open_enum::UnknownValue),
        }

        impl $name {
            /// Every documented value, as spelled on the wire.
            pub const VALUES: &'static [&'static str] = &[$($value),+];

            /// The value as spelled on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $value, )+
                    $name::Unknown(v) => v.as_str(),
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $value => $name::$variant, )+
                    other => $name::Unknown($crate::open_enum::UnknownValue(other.to_owned())),
                }
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name::from(s.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok($name::from(s))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::wire::required(d)
            }
        }

        impl $crate::wire::FromWire for $name {
            const EXPECTING: &'static str = concat!("a ", stringify!($name), " value");
            fn from_wire_str(s: &str) -> Result<Self, String> {
                Ok($name::from(s))
            }
            fn from_wire_u64(v: u64) -> Result<Self, String> {
                Ok($name::from(v.to_string().as_str()))
            }
            fn from_wire_i64(v: i64) -> Result<Self, String> {
                Ok($name::from(v.to_string().as_str()))
            }
        }
    };
}

pub(crate) use open_enum;
