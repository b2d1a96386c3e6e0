//! The conversions of a type that travels as its text form: `TryFrom` a string (for the
//! builders' setters), and serde through `Display` and `FromStr` (which validates).

/// Implements `TryFrom<&str>`, `TryFrom<String>`, `Serialize` (as `Display` writes it)
/// and `Deserialize` (as `FromStr` reads it) for `$type`.
macro_rules! text_type {
    ($type:ty) => {
        impl TryFrom<&str> for $type {
            type Error = $crate::Error;
            fn try_from(s: &str) -> Result<Self, $crate::Error> {
                s.parse()
            }
        }

        impl TryFrom<String> for $type {
            type Error = $crate::Error;
            fn try_from(s: String) -> Result<Self, $crate::Error> {
                s.parse()
            }
        }

        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use text_type;
