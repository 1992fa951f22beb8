fn main() {
    println!("accounts");
}
