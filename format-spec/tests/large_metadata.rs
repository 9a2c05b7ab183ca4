//! Metadata of large modules decodes: the decoder's allocation limit must
//! allow for decoded structures being much larger than their encoding.

use kiln_format::artifact::{
    decode_metadata, encode_metadata, Export, ExternKind, FuncType, ModuleMetadata, ValType,
};

#[test]
fn thousands_of_functions_and_exports_round_trip() {
    let mut meta = ModuleMetadata {
        types: vec![FuncType {
            params: vec![ValType::I32, ValType::I32],
            results: vec![ValType::I32],
        }],
        ..ModuleMetadata::default()
    };
    for i in 0..3_000u32 {
        meta.functions.push(0);
        meta.exports.push(Export {
            name: format!("f{i}"),
            kind: ExternKind::Func,
            index: i,
        });
    }
    let bytes = encode_metadata(&meta);
    assert_eq!(decode_metadata(&bytes).unwrap(), meta);
}
